/**
 * A state before a call: its name, status and dates at the top; then the timeline of contacts (newest first, with
 * what was promised), its treaty history, its missions and people, its stage in each campaign, its Article 7
 * reports. "Log contact" (and the L shortcut) opens the form with this state filled in.
 */
import { Anchor, Button, Group, Stack, Table, Tabs, Text, Badge } from '@mantine/core'
import { useQuery, useQueries } from '@tanstack/react-query'
import { Link, useParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { campaigns, contacts, ok } from '../api/client'
import { ProblemError } from '../api/problem'
import { PageHeader } from '../components/PageHeader'
import { QueryState } from '../components/QueryState'
import { StatusBadge } from '../components/StatusBadge'
import { InteractionList } from '../components/InteractionList'
import { formatDate } from '../format'
import { personName, useCampaigns, type State } from '../queries'
import { useSession } from '../session'
import { useLogContact, useLogContactPrefill } from '../shell/log-contact-context'

// `how` is free text from the registry; the known instruments have labels, anything else shows as it is.
type HowKey = 'ratification' | 'accession' | 'acceptance' | 'approval'

function StateDates({ state }: { state: State }) {
  const { t } = useTranslation()
  const parts = [
    state.signedOn && t('state.signedOn', { date: formatDate(state.signedOn) }),
    state.depositedOn &&
      t('state.depositedOn', {
        date: formatDate(state.depositedOn),
        how: state.how ? t(`state.how.${state.how as HowKey}`, state.how) : '',
      }),
    state.entryIntoForceOn && t('state.inForceOn', { date: formatDate(state.entryIntoForceOn) }),
    state.withdrawalNoticeOn && t('state.withdrawalNoticeOn', { date: formatDate(state.withdrawalNoticeOn) }),
    state.withdrawalEffectiveOn && t('state.withdrawalEffectiveOn', { date: formatDate(state.withdrawalEffectiveOn) }),
  ].filter(Boolean)
  return <>{parts.length ? parts.join(' · ') : t('state.noSteps')}</>
}

function Timeline({ iso3 }: { iso3: string }) {
  const query = useQuery({
    queryKey: ['contacts', '/v1/interactions', { state: iso3, limit: 50 }],
    queryFn: () => ok(contacts.GET('/v1/interactions', { params: { query: { state: iso3, limit: 50 } } })),
  })
  return <QueryState query={query}>{(data) => <InteractionList items={data.items} />}</QueryState>
}

function History({ iso3 }: { iso3: string }) {
  const { t } = useTranslation()
  const query = useQuery({
    queryKey: ['contacts', '/v1/states/{iso3}/history', { iso3 }],
    queryFn: () => ok(contacts.GET('/v1/states/{iso3}/history', { params: { path: { iso3 } } })),
  })
  return (
    <QueryState query={query}>
      {(data) =>
        data.items.length ? (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('state.history.date')}</Table.Th>
                <Table.Th>{t('state.history.step')}</Table.Th>
                <Table.Th>{t('state.history.change')}</Table.Th>
                <Table.Th>{t('state.history.source')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((step) => (
                <Table.Tr key={step.id}>
                  <Table.Td>{formatDate(step.date)}</Table.Td>
                  <Table.Td>{t(`state.steps.${step.kind}`)}</Table.Td>
                  <Table.Td>
                    {t(`status.${step.fromStatus}`)} → {t(`status.${step.toStatus}`)}
                  </Table.Td>
                  <Table.Td>{step.source}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text c="dimmed">{t('state.noSteps')}</Text>
        )
      }
    </QueryState>
  )
}

function MissionsAndPeople({ iso3 }: { iso3: string }) {
  const { t } = useTranslation()
  const orgs = useQuery({
    queryKey: ['contacts', '/v1/organizations', { country: iso3, limit: 50 }],
    queryFn: () => ok(contacts.GET('/v1/organizations', { params: { query: { country: iso3, limit: 50 } } })),
  })
  const people = useQuery({
    queryKey: ['contacts', '/v1/people', { country: iso3, limit: 100 }],
    queryFn: () => ok(contacts.GET('/v1/people', { params: { query: { country: iso3, limit: 100 } } })),
  })
  return (
    <Stack>
      <QueryState query={orgs}>
        {(data) =>
          data.items.length ? (
            <Group gap="xs">
              {data.items.map((o) => (
                <Anchor key={o.id} component={Link} to={`/organisations/${o.id}`}>
                  <Badge variant="outline" style={{ cursor: 'pointer' }}>
                    {o.name}
                  </Badge>
                </Anchor>
              ))}
            </Group>
          ) : (
            <Text c="dimmed">{t('state.noOrganisations')}</Text>
          )
        }
      </QueryState>
      <QueryState query={people}>
        {(data) =>
          data.items.length ? (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('people.name')}</Table.Th>
                  <Table.Th>{t('people.role')}</Table.Th>
                  <Table.Th>{t('people.email')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((p) => {
                  const current =
                    p.affiliations.find((a) => a.current && a.primary) ?? p.affiliations.find((a) => a.current)
                  return (
                    <Table.Tr key={p.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/people/${p.id}`}>
                          {personName(p)}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {[p.jobTitle ?? current?.role, current?.organizationName].filter(Boolean).join(', ')}
                      </Table.Td>
                      <Table.Td>{p.emails[0]}</Table.Td>
                    </Table.Tr>
                  )
                })}
              </Table.Tbody>
            </Table>
          ) : (
            <Text c="dimmed">{t('state.noPeople')}</Text>
          )
        }
      </QueryState>
    </Stack>
  )
}

function CampaignStages({ iso3 }: { iso3: string }) {
  const { t } = useTranslation()
  const list = useCampaigns()
  const running = (list.data ?? []).filter((c) => c.status === 'active' || c.status === 'planned')
  const targets = useQueries({
    queries: running.map((c) => ({
      queryKey: ['campaigns', '/v1/campaigns/{id}/targets/{iso3}', { id: c.id, iso3 }],
      queryFn: async () => {
        try {
          return await ok(campaigns.GET('/v1/campaigns/{id}/targets/{iso3}', { params: { path: { id: c.id, iso3 } } }))
        } catch (e) {
          if (e instanceof ProblemError && e.status === 404) return null // not a target of this campaign
          throw e
        }
      },
    })),
  })
  const rows = running.flatMap((c, i) => {
    const target = targets[i]?.data
    return target ? [{ campaign: c, target }] : []
  })
  return (
    <QueryState query={list}>
      {() =>
        rows.length ? (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('nav.campaigns')}</Table.Th>
                <Table.Th>{t('state.stage')}</Table.Th>
                <Table.Th>{t('state.since')}</Table.Th>
                <Table.Th>{t('state.lastContact')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(({ campaign, target }) => (
                <Table.Tr key={campaign.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/campaigns/${campaign.id}`}>
                      {campaign.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`stages.${target.stage}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{formatDate(target.stageSince)}</Table.Td>
                  <Table.Td>{target.lastContact ? formatDate(target.lastContact.at) : t('common.none')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text c="dimmed">{t('state.noCampaigns')}</Text>
        )
      }
    </QueryState>
  )
}

function Article7({ iso3 }: { iso3: string }) {
  const { t } = useTranslation()
  const reports = useQuery({
    queryKey: ['campaigns', '/v1/reports', { iso3 }],
    queryFn: () => ok(campaigns.GET('/v1/reports', { params: { query: { iso3 } } })),
  })
  const due = useQuery({
    queryKey: ['campaigns', '/v1/reports/due', { iso3 }],
    queryFn: () => ok(campaigns.GET('/v1/reports/due', { params: { query: { iso3 } } })),
  })
  return (
    <Stack>
      <QueryState query={due}>
        {(data) =>
          data.items.length ? (
            <Stack gap={4}>
              {data.items.map((r) => (
                <Text key={`${r.kind}-${r.year}`} c={r.status === 'overdue' ? 'red.8' : undefined}>
                  {t(`article7.${r.status}`, {
                    report: t(`article7.kinds.${r.kind}`, { year: r.year }),
                    date: formatDate(r.dueOn),
                    days: r.daysLate,
                  })}
                </Text>
              ))}
            </Stack>
          ) : (
            <Text c="dimmed">{t('article7.nothingDue')}</Text>
          )
        }
      </QueryState>
      <QueryState query={reports}>
        {(data) =>
          data.items.length ? (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('article7.report')}</Table.Th>
                  <Table.Th>{t('article7.received')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>{t(`article7.kinds.${r.kind}`, { year: r.year })}</Table.Td>
                    <Table.Td>{formatDate(r.receivedOn)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text c="dimmed">{t('article7.noReports')}</Text>
          )
        }
      </QueryState>
    </Stack>
  )
}

export default function StatePage() {
  const { t } = useTranslation()
  const iso3 = (useParams().iso3 ?? '').toUpperCase()
  const { can } = useSession()
  const { openLogContact } = useLogContact()
  useLogContactPrefill({ states: [iso3] })
  const query = useQuery({
    queryKey: ['contacts', '/v1/states/{iso3}', { iso3 }],
    queryFn: () => ok(contacts.GET('/v1/states/{iso3}', { params: { path: { iso3 } } })),
  })
  return (
    <QueryState query={query}>
      {(state) => (
        <>
          <PageHeader
            title={state.name}
            subtitle={
              <Stack gap={4}>
                <Group gap="xs">
                  <StatusBadge status={state.status} pending={state.withdrawalPending} />
                  {state.regionalGroup && <Text size="sm">{state.regionalGroup}</Text>}
                  <Text size="sm">{state.iso3}</Text>
                </Group>
                <Text size="sm">
                  <StateDates state={state} />
                </Text>
              </Stack>
            }
            actions={
              can('editor') && (
                <Button onClick={() => openLogContact({ states: [iso3] })} aria-keyshortcuts="L">
                  {t('logContact.button')}
                </Button>
              )
            }
          />
          <Tabs defaultValue="timeline" keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="timeline">{t('state.tabs.timeline')}</Tabs.Tab>
              <Tabs.Tab value="people">{t('state.tabs.people')}</Tabs.Tab>
              <Tabs.Tab value="campaigns">{t('state.tabs.campaigns')}</Tabs.Tab>
              <Tabs.Tab value="history">{t('state.tabs.history')}</Tabs.Tab>
              <Tabs.Tab value="article7">{t('state.tabs.article7')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="timeline">
              <Timeline iso3={iso3} />
            </Tabs.Panel>
            <Tabs.Panel value="people">
              <MissionsAndPeople iso3={iso3} />
            </Tabs.Panel>
            <Tabs.Panel value="campaigns">
              <CampaignStages iso3={iso3} />
            </Tabs.Panel>
            <Tabs.Panel value="history">
              <History iso3={iso3} />
            </Tabs.Panel>
            <Tabs.Panel value="article7">
              <Article7 iso3={iso3} />
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </QueryState>
  )
}
