/** An organisation: what it is, its people, and the contacts it took part in. */
import { Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { contacts, ok } from '../api/client'
import { InteractionList } from '../components/InteractionList'
import { PageHeader } from '../components/PageHeader'
import { QueryState } from '../components/QueryState'
import { personName } from '../queries'
import { useSession } from '../session'
import { useLogContact, useLogContactPrefill } from '../shell/log-contact-context'

export default function OrganisationPage() {
  const { t } = useTranslation()
  const id = useParams().id ?? ''
  const { can } = useSession()
  const { openLogContact } = useLogContact()
  const query = useQuery({
    queryKey: ['contacts', '/v1/organizations/{id}', { id }],
    queryFn: () => ok(contacts.GET('/v1/organizations/{id}', { params: { path: { id } } })),
  })
  const people = useQuery({
    queryKey: ['contacts', '/v1/people', { organizationId: id, limit: 100 }],
    queryFn: () => ok(contacts.GET('/v1/people', { params: { query: { organizationId: id, limit: 100 } } })),
  })
  const interactions = useQuery({
    queryKey: ['contacts', '/v1/interactions', { organizationId: id, limit: 50 }],
    queryFn: () => ok(contacts.GET('/v1/interactions', { params: { query: { organizationId: id, limit: 50 } } })),
  })
  const org = query.data
  useLogContactPrefill(
    org ? { organizations: [{ id: org.id, name: org.name }], ...(org.country ? { states: [org.country] } : {}) } : null,
  )
  return (
    <QueryState query={query}>
      {(o) => (
        <>
          <PageHeader
            title={o.name}
            subtitle={
              <Group gap="xs">
                <Badge variant="light">{t(`organisations.types.${o.type}`)}</Badge>
                {o.country && (
                  <Anchor component={Link} to={`/states/${o.country}`} size="sm">
                    {o.country}
                  </Anchor>
                )}
                {o.website && (
                  <Anchor href={o.website} size="sm" target="_blank" rel="noreferrer">
                    {o.website}
                  </Anchor>
                )}
                {o.archived && <Badge color="gray">{t('organisations.archived')}</Badge>}
              </Group>
            }
            actions={
              can('editor') && (
                <Button
                  onClick={() =>
                    openLogContact({
                      organizations: [{ id: o.id, name: o.name }],
                      ...(o.country ? { states: [o.country] } : {}),
                    })
                  }
                >
                  {t('logContact.button')}
                </Button>
              )
            }
          />
          <Stack>
            <Card withBorder component="section" aria-label={t('organisations.people')}>
              <Title order={2} size="h5" mb="xs">
                {t('organisations.people')}
              </Title>
              <QueryState query={people}>
                {(data) =>
                  data.items.length ? (
                    <Table>
                      <Table.Tbody>
                        {data.items.map((p) => (
                          <Table.Tr key={p.id}>
                            <Table.Td>
                              <Anchor component={Link} to={`/people/${p.id}`}>
                                {personName(p)}
                              </Anchor>
                            </Table.Td>
                            <Table.Td>
                              {p.affiliations.find((a) => a.organizationId === o.id && a.current)?.role ?? p.jobTitle}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  ) : (
                    <Text c="dimmed" size="sm">
                      {t('organisations.noPeople')}
                    </Text>
                  )
                }
              </QueryState>
            </Card>
            <Card withBorder component="section" aria-label={t('person.interactions')}>
              <Title order={2} size="h5" mb="xs">
                {t('person.interactions')}
              </Title>
              <QueryState query={interactions}>{(data) => <InteractionList items={data.items} />}</QueryState>
            </Card>
          </Stack>
        </>
      )}
    </QueryState>
  )
}
