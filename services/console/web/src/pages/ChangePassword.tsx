/**
 * Changing one's password: forced at first sign-in (with the one-time password an admin was given), or chosen
 * from the user menu. The new password needs 12 characters at least (the server's rule, checked here first).
 */
import { useState } from 'react'
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useTranslation } from 'react-i18next'
import { ProblemError } from '../api/problem'
import { changePassword, signOut } from '../session'

export const MIN_PASSWORD = 12

export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v ? null : t('password.currentRequired')),
      newPassword: (v, values) =>
        v.length < MIN_PASSWORD
          ? t('password.tooShort', { count: MIN_PASSWORD })
          : v === values.currentPassword
            ? t('password.same')
            : null,
      confirm: (v, values) => (v === values.newPassword ? null : t('password.mismatch')),
    },
  })
  const submit = form.onSubmit(async ({ currentPassword, newPassword }) => {
    setBusy(true)
    setError(null)
    try {
      await changePassword(currentPassword, newPassword)
      notifications.show({ color: 'green', message: t('password.changed') })
      form.reset()
      onDone?.()
    } catch (e) {
      if (e instanceof ProblemError && e.status === 401) form.setFieldError('currentPassword', t('password.wrong'))
      else if (e instanceof ProblemError && e.problem.invalidParams?.length)
        for (const p of e.problem.invalidParams) form.setFieldError(p.name.replace(/^body\./, ''), p.reason)
      else setError(e instanceof ProblemError ? (e.problem.detail ?? e.problem.title) : String(e))
    } finally {
      setBusy(false)
    }
  })
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={420}>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <PasswordInput
          label={t('password.current')}
          autoComplete="current-password"
          {...form.getInputProps('currentPassword')}
        />
        <PasswordInput
          label={t('password.new')}
          description={t('password.rule', { count: MIN_PASSWORD })}
          autoComplete="new-password"
          {...form.getInputProps('newPassword')}
        />
        <PasswordInput label={t('password.confirm')} autoComplete="new-password" {...form.getInputProps('confirm')} />
        <Button type="submit" loading={busy}>
          {t('password.submit')}
        </Button>
      </Stack>
    </form>
  )
}

/** The page shown instead of the app while the user must change their password. */
export function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation()
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w={460} maw="95vw">
        <Title order={1} size="h3" mb="xs">
          {t('password.title')}
        </Title>
        {forced && <Text mb="md">{t('password.forced')}</Text>}
        <ChangePasswordForm />
        <Button variant="subtle" mt="md" onClick={() => void signOut()}>
          {t('user.signOut')}
        </Button>
      </Paper>
    </Center>
  )
}
