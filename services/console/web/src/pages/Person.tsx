/**
 * A person: who they are and how to reach them, their roles past and present, the contacts they took part in and
 * what was promised, and the possible duplicates the API flags, each with a merge button for editors.
 */
import { Alert, Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core'
import { modals } from '@mantine/modals'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { contacts, ok } from '../api/client'
import { ProblemError } from '../api/problem'
import { InteractionList } from '../components/InteractionList'
import { PageHeader } from '../components/PageHeader'
import { QueryState } from '../components/QueryState'
import { applyProblem } from '../forms'
import { formatDate } from '../format'
import { personName, type Person } from '../queries'
import { useSession } from '../session'
import { useLogContact, useLogContactPrefill } from '../shell/log-contact-context'

function Duplicates({ person }: { person: Person }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const query = useQuery({
    queryKey: ['contacts', '/v1/people/duplicates', { personId: person.id }],
    queryFn: () =>
      ok(contacts.GET('/v1/people/duplicates', { params: { query: { personId: person.id, limit: 100 } } })),
  })
  const merge = useMutation({
    mutationFn: (otherId: string) =>
      ok(
        contacts.POST('/v1/people/{id}/merge', {
          params: { path: { id: person.id } },
          body: { duplicateIds: [otherId], version: person.version },
        }),
      ),
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('person.merged') })
      void queryClient.invalidateQueries({ queryKey: ['contacts'] })
    },
    onError: (error) => applyProblem({ setFieldError: () => {}, getInputProps: () => ({}), values: {} }, error),
  })
  const groups = (query.data?.items ?? []).filter((g) => g.people.some((p) => p.id === person.id))
  if (!groups.length) return null
  return (
    <Card withBorder component="section" aria-label={t('person.duplicates')}>
      <Title order={2} size="h5" mb="xs">
        {t('person.duplicates')}
      </Title>
      <Stack gap="xs">
        {groups.flatMap((g) =>
          g.people
            .filter((p) => p.id !== person.id)
            .map((other) => (
              <Group key={`${g.reason}-${other.id}`} justify="space-between">
                <Text size="sm">
                  <Anchor component={Link} to={`/people/${other.id}`}>
                    {other.givenName} {other.familyName}
                  </Anchor>{' '}
                  <Text span size="xs" c="dimmed">
                    {t(`person.reasons.${g.reason}`)} {other.emails[0] ?? ''}
                  </Text>
                </Text>
                <Button
                  size="xs"
                  variant="light"
                  loading={merge.isPending}
                  onClick={() =>
                    modals.openConfirmModal({
                      title: t('person.mergeTitle'),
                      children: (
                        <Text size="sm">
                          {t('person.mergeBody', {
                            other: `${other.givenName} ${other.familyName}`,
                            person: personName(person),
                          })}
                        </Text>
                      ),
                      labels: { confirm: t('person.merge'), cancel: t('common.cancel') },
                      onConfirm: () => merge.mutate(other.id),
                    })
                  }
                >
                  {t('person.merge')}
                </Button>
              </Group>
            )),
        )}
      </Stack>
    </Card>
  )
}

export default function PersonPage() {
  const { t } = useTranslation()
  const id = useParams().id ?? ''
  const { can } = useSession()
  const { openLogContact } = useLogContact()
  const query = useQuery({
    queryKey: ['contacts', '/v1/people/{id}', { id }],
    queryFn: () => ok(contacts.GET('/v1/people/{id}', { params: { path: { id } } })),
  })
  const interactions = useQuery({
    queryKey: ['contacts', '/v1/interactions', { personId: id, limit: 50 }],
    queryFn: () => ok(contacts.GET('/v1/interactions', { params: { query: { personId: id, limit: 50 } } })),
  })
  const person = query.data
  useLogContactPrefill(person ? { people: [{ id: person.id, name: personName(person) }] } : null)
  if (query.error instanceof ProblemError && query.error.status === 404)
    return <Alert color="yellow">{t('person.notFound')}</Alert>
  return (
    <QueryState query={query}>
      {(p) => {
        const followUps = (interactions.data?.items ?? []).filter((i) => i.followUp && !i.followUp.done)
        return (
          <>
            <PageHeader
              title={personName(p)}
              subtitle={
                <Group gap="xs">
                  {p.jobTitle && <Text size="sm">{p.jobTitle}</Text>}
                  {p.emails.map((e) => (
                    <Anchor key={e} href={`mailto:${e}`} size="sm">
                      {e}
                    </Anchor>
                  ))}
                  {p.phones.map((ph) => (
                    <Text key={ph} size="sm">
                      {ph}
                    </Text>
                  ))}
                  {p.doNotContact && <Badge color="red">{t('person.doNotContact')}</Badge>}
                </Group>
              }
              actions={
                can('editor') && (
                  <Button onClick={() => openLogContact({ people: [{ id: p.id, name: personName(p) }] })}>
                    {t('logContact.button')}
                  </Button>
                )
              }
            />
            <Stack>
              {can('editor') && <Duplicates person={p} />}
              <Card withBorder component="section" aria-label={t('person.roles')}>
                <Title order={2} size="h5" mb="xs">
                  {t('person.roles')}
                </Title>
                {p.affiliations.length ? (
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('person.organisation')}</Table.Th>
                        <Table.Th>{t('people.role')}</Table.Th>
                        <Table.Th>{t('person.from')}</Table.Th>
                        <Table.Th>{t('person.to')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {p.affiliations.map((a) => (
                        <Table.Tr key={a.id} c={a.current ? undefined : 'dimmed'}>
                          <Table.Td>
                            <Anchor component={Link} to={`/organisations/${a.organizationId}`}>
                              {a.organizationName}
                            </Anchor>{' '}
                            {a.current && <Badge size="xs">{t('person.current')}</Badge>}
                          </Table.Td>
                          <Table.Td>{a.role}</Table.Td>
                          <Table.Td>{formatDate(a.startDate)}</Table.Td>
                          <Table.Td>{formatDate(a.endDate)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                ) : (
                  <Text c="dimmed" size="sm">
                    {t('person.noRoles')}
                  </Text>
                )}
              </Card>
              {followUps.length > 0 && (
                <Card withBorder component="section" aria-label={t('person.followUps')}>
                  <Title order={2} size="h5" mb="xs">
                    {t('person.followUps')}
                  </Title>
                  {followUps.map((i) => (
                    <Text key={i.id} size="sm">
                      {formatDate(i.followUp!.dueOn)} · {i.summary} ({i.followUp!.assignee})
                    </Text>
                  ))}
                </Card>
              )}
              <Card withBorder component="section" aria-label={t('person.interactions')}>
                <Title order={2} size="h5" mb="xs">
                  {t('person.interactions')}
                </Title>
                <QueryState query={interactions}>{(data) => <InteractionList items={data.items} />}</QueryState>
              </Card>
            </Stack>
          </>
        )
      }}
    </QueryState>
  )
}
