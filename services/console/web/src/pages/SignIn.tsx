/**
 * Sign-in: a page of its own, or (`overlay`) a dialog over the page when the session expired, so that the page
 * and what was typed in it stay as they were. After signing in again, the page's queries refetch.
 */
import { useState } from 'react'
import { Alert, Button, Center, Modal, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { ProblemError } from '../api/problem'
import { signIn } from '../session'
import { sessionStore } from '../session-store'

export function SignInPage({ overlay = false }: { overlay?: boolean }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const previous = sessionStore.get().user
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const form = useForm({
    initialValues: { username: previous?.username ?? '', password: '' },
    validate: {
      username: (v) => (v.trim() ? null : t('signIn.usernameRequired')),
      password: (v) => (v ? null : t('signIn.passwordRequired')),
    },
  })

  const submit = form.onSubmit(async ({ username, password }) => {
    setBusy(true)
    setError(null)
    try {
      await signIn(username.trim(), password)
      void queryClient.invalidateQueries()
    } catch (e) {
      form.setFieldValue('password', '')
      if (e instanceof ProblemError && e.status === 429) setError(t('signIn.tooMany', { seconds: e.retryAfter ?? 60 }))
      else if (e instanceof ProblemError && e.status === 401) setError(t('signIn.wrong'))
      else setError(t('signIn.unavailable'))
    } finally {
      setBusy(false)
    }
  })

  const body = (
    <form onSubmit={submit} noValidate>
      <Stack>
        {error && (
          <Alert color="red" role="alert" title={t('signIn.failed')}>
            {error}
          </Alert>
        )}
        <TextInput label={t('signIn.username')} autoComplete="username" autoFocus {...form.getInputProps('username')} />
        <PasswordInput
          label={t('signIn.password')}
          autoComplete="current-password"
          {...form.getInputProps('password')}
        />
        <Button type="submit" loading={busy}>
          {t('signIn.submit')}
        </Button>
      </Stack>
    </form>
  )

  if (overlay)
    return (
      <Modal
        opened
        onClose={() => {}}
        withCloseButton={false}
        closeOnClickOutside={false}
        closeOnEscape={false}
        title={t('signIn.expired')}
        centered
      >
        {body}
      </Modal>
    )
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w={380} maw="95vw">
        <Title order={1} size="h3" mb="md">
          {t('signIn.title')}
        </Title>
        {body}
      </Paper>
    </Center>
  )
}
