/**
 * Users (admins only): the list; adding a user, whose one-time password is shown once, to hand over; changing a
 * role; disabling; resetting a password (a new one-time password, shown once). A stale edit (409) offers to reload.
 */
import { useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  TextInput,
  Text,
} from '@mantine/core'
import { useForm } from '@mantine/form'
import { modals } from '@mantine/modals'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { consoleFetch } from '../api/client'
import { ProblemError } from '../api/problem'
import { PageHeader } from '../components/PageHeader'
import { QueryState } from '../components/QueryState'
import { applyProblem, offerReload } from '../forms'
import { formatDate } from '../format'
import { useSession, type Role } from '../session'

interface ConsoleUser {
  id: string
  username: string
  displayName: string
  role: Role
  disabled: boolean
  mustChangePassword: boolean
  createdAt: string
  updatedAt: string
  version: number
}

const ROLES: Role[] = ['viewer', 'editor', 'admin']
const KEY = ['console', '/api/users']

function OneTimePassword({ username, password, onClose }: { username: string; password: string; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Modal opened onClose={onClose} title={t('users.oneTimeTitle', { username })}>
      <Stack>
        <Text>{t('users.oneTimeBody')}</Text>
        <Group>
          <Code fz="lg" data-testid="one-time-password">
            {password}
          </Code>
          <CopyButton value={password}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" onClick={copy}>
                {copied ? t('users.copied') : t('users.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Button onClick={onClose}>{t('users.done')}</Button>
      </Stack>
    </Modal>
  )
}

function AddUser({ onCreated }: { onCreated: (username: string, password: string) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const form = useForm({
    initialValues: { username: '', displayName: '', role: 'editor' as Role },
    validate: {
      username: (v) => (/^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$/.test(v.trim()) ? null : t('users.usernameRule')),
      displayName: (v) => (v.trim() ? null : t('users.displayNameRequired')),
    },
  })
  const add = useMutation({
    mutationFn: (v: typeof form.values) =>
      consoleFetch<{ user: ConsoleUser; oneTimePassword: string }>('/users', {
        method: 'POST',
        json: { username: v.username.trim(), displayName: v.displayName.trim(), role: v.role },
      }),
    onSuccess: ({ user, oneTimePassword }) => {
      form.reset()
      void queryClient.invalidateQueries({ queryKey: KEY })
      onCreated(user.username, oneTimePassword)
    },
    onError: (error) => applyProblem(form, error),
  })
  return (
    <form onSubmit={form.onSubmit((v) => add.mutate(v))} noValidate>
      <Group align="flex-start" wrap="wrap">
        <TextInput label={t('users.username')} {...form.getInputProps('username')} />
        <TextInput label={t('users.displayName')} {...form.getInputProps('displayName')} />
        <Select
          label={t('users.role')}
          data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          allowDeselect={false}
          {...form.getInputProps('role')}
        />
        <Button type="submit" mt={25} loading={add.isPending}>
          {t('users.add')}
        </Button>
      </Group>
    </form>
  )
}

export default function UsersPage() {
  const { t } = useTranslation()
  const { user: me } = useSession()
  const queryClient = useQueryClient()
  const [shown, setShown] = useState<{ username: string; password: string } | null>(null)
  const query = useQuery({ queryKey: KEY, queryFn: () => consoleFetch<{ items: ConsoleUser[] }>('/users') })
  const patch = useMutation({
    mutationFn: ({ user, changes }: { user: ConsoleUser; changes: Partial<Pick<ConsoleUser, 'role' | 'disabled'>> }) =>
      consoleFetch<ConsoleUser>(`/users/${user.id}`, { method: 'PATCH', json: { ...changes, version: user.version } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
    onError: (error) => {
      if (error instanceof ProblemError && error.status === 409)
        offerReload(error, () => void queryClient.invalidateQueries({ queryKey: KEY }))
      else applyProblem({ setFieldError: () => {}, getInputProps: () => ({}), values: {} }, error)
    },
  })
  const reset = useMutation({
    mutationFn: (user: ConsoleUser) =>
      consoleFetch<{ oneTimePassword: string }>(`/users/${user.id}/password-reset`, { method: 'POST' }).then((r) => ({
        username: user.username,
        password: r.oneTimePassword,
      })),
    onSuccess: setShown,
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  })
  const confirmReset = (user: ConsoleUser) =>
    modals.openConfirmModal({
      title: t('users.resetTitle', { username: user.username }),
      children: <Text size="sm">{t('users.resetBody')}</Text>,
      labels: { confirm: t('users.reset'), cancel: t('common.cancel') },
      onConfirm: () => reset.mutate(user),
    })

  return (
    <>
      <PageHeader title={t('nav.users')} />
      <Stack>
        <AddUser onCreated={(username, password) => setShown({ username, password })} />
        <QueryState query={query}>
          {(data) => (
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.username')}</Table.Th>
                  <Table.Th>{t('users.displayName')}</Table.Th>
                  <Table.Th>{t('users.role')}</Table.Th>
                  <Table.Th>{t('users.status')}</Table.Th>
                  <Table.Th>{t('users.created')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((u) => (
                  <Table.Tr key={u.id}>
                    <Table.Td>{u.username}</Table.Td>
                    <Table.Td>{u.displayName}</Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={t('users.roleOf', { username: u.username })}
                        size="xs"
                        w={120}
                        data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                        value={u.role}
                        allowDeselect={false}
                        disabled={u.id === me.id}
                        onChange={(role) => role && patch.mutate({ user: u, changes: { role: role as Role } })}
                      />
                    </Table.Td>
                    <Table.Td>
                      {u.disabled ? (
                        <Badge color="gray">{t('users.disabled')}</Badge>
                      ) : u.mustChangePassword ? (
                        <Badge color="yellow">{t('users.awaitingFirstSignIn')}</Badge>
                      ) : (
                        <Badge color="green">{t('users.active')}</Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{formatDate(u.createdAt)}</Table.Td>
                    <Table.Td>
                      {u.id !== me.id && (
                        <Group gap="xs">
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => patch.mutate({ user: u, changes: { disabled: !u.disabled } })}
                          >
                            {u.disabled ? t('users.enable') : t('users.disable')}
                          </Button>
                          <Button size="xs" variant="default" onClick={() => confirmReset(u)}>
                            {t('users.reset')}
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </QueryState>
        {reset.isError && <Alert color="red">{String(reset.error)}</Alert>}
      </Stack>
      {shown && <OneTimePassword {...shown} onClose={() => setShown(null)} />}
    </>
  )
}
