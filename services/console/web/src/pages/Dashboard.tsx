/**
 * The morning page: the map of treaty status; the count of States Parties and the latest to join; my follow-ups
 * due; posts awaiting my approval and going out this week; Article 7 reports overdue; each running campaign's
 * funnel. Each card links to where the work is done.
 */
import { lazy, Suspense, type ReactNode } from 'react'
import { Anchor, Badge, Card, Grid, Group, List, Stack, Text, Title } from '@mantine/core'
import { useQueries, useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { campaigns, contacts, ok, social } from '../api/client'
import { PageHeader } from '../components/PageHeader'
import { QueryState } from '../components/QueryState'
import { WorldMap } from '../components/WorldMap'
import { formatDate, formatDateTime, formatNumber, today } from '../format'
import { useCampaigns, useStates } from '../queries'
import { useSession } from '../session'

// Charts (recharts) are the heaviest code of the page: loaded after the rest is on screen.
const CampaignFunnel = lazy(() => import('../components/CampaignFunnel'))

function DashCard({ title, to, children }: { title: string; to?: string; children: ReactNode }) {
  const { t } = useTranslation()
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          {title}
        </Title>
        {to && (
          <Anchor component={Link} to={to} size="sm">
            {t('common.viewAll')}
          </Anchor>
        )}
      </Group>
      {children}
    </Card>
  )
}

function StatesParties() {
  const { t } = useTranslation()
  const states = useStates()
  return (
    <DashCard title={t('dashboard.statesParties')} to="/states?status=state_party">
      <QueryState query={states}>
        {(list) => {
          const parties = list.filter((s) => s.status === 'state_party')
          const latest = [...parties].sort((a, b) => (b.depositedOn ?? '').localeCompare(a.depositedOn ?? ''))[0]
          return (
            <Stack gap={2}>
              <Text fz={40} fw={700} lh={1}>
                {formatNumber(parties.length)}
              </Text>
              {latest && (
                <Text size="sm">
                  {t('dashboard.latest')}{' '}
                  <Anchor component={Link} to={`/states/${latest.iso3}`}>
                    {latest.name}
                  </Anchor>{' '}
                  {formatDate(latest.depositedOn)}
                </Text>
              )}
            </Stack>
          )
        }}
      </QueryState>
    </DashCard>
  )
}

function MyFollowUps() {
  const { t } = useTranslation()
  const { user } = useSession()
  const query = useQuery({
    queryKey: ['contacts', '/v1/follow-ups', { assignee: user.username, status: 'open' }],
    queryFn: () =>
      ok(contacts.GET('/v1/follow-ups', { params: { query: { assignee: user.username, status: 'open', limit: 50 } } })),
  })
  const first = (query.data?.items ?? []).slice(0, 5)
  const interactions = useQueries({
    queries: first.map((f) => ({
      queryKey: ['contacts', '/v1/interactions/{id}', { id: f.interactionId }],
      queryFn: () => ok(contacts.GET('/v1/interactions/{id}', { params: { path: { id: f.interactionId } } })),
    })),
  })
  return (
    <DashCard title={t('dashboard.followUps', { count: query.data?.items.length ?? 0 })}>
      <QueryState query={query}>
        {(data) =>
          data.items.length ? (
            <List spacing={4} size="sm">
              {first.map((f, i) => {
                const interaction = interactions[i]?.data
                const iso3 = interaction?.states[0]
                return (
                  <List.Item key={f.id}>
                    <Badge size="xs" color={f.overdue ? 'red' : 'yellow'} mr={6}>
                      {formatDate(f.dueOn)}
                    </Badge>
                    {iso3 ? (
                      <Anchor component={Link} to={`/states/${iso3}`} size="sm">
                        {interaction.summary}
                      </Anchor>
                    ) : (
                      (interaction?.summary ?? '…')
                    )}
                  </List.Item>
                )
              })}
            </List>
          ) : (
            <Text c="dimmed" size="sm">
              {t('dashboard.noFollowUps')}
            </Text>
          )
        }
      </QueryState>
    </DashCard>
  )
}

function Posts() {
  const { t } = useTranslation()
  const { user } = useSession()
  const now = new Date()
  const week = new Date(now.getTime() + 7 * 86_400_000)
  const submitted = useQuery({
    queryKey: ['social', '/v1/posts', { status: 'submitted' }],
    queryFn: () => ok(social.GET('/v1/posts', { params: { query: { status: 'submitted', limit: 100 } } })),
  })
  const scheduled = useQuery({
    queryKey: ['social', '/v1/posts', { status: 'scheduled', week: today() }],
    queryFn: () =>
      ok(
        social.GET('/v1/posts', {
          params: { query: { status: 'scheduled', from: now.toISOString(), to: week.toISOString(), limit: 100 } },
        }),
      ),
  })
  // Nobody approves their own post: those are not "awaiting my approval".
  const awaiting = (submitted.data?.items ?? []).filter((p) => p.author !== user.username)
  return (
    <DashCard title={t('dashboard.posts')} to="/posts">
      <Group grow>
        <Stack gap={0}>
          <Text fz={28} fw={700}>
            {formatNumber(awaiting.length)}
          </Text>
          <Text size="sm">{t('dashboard.awaitingApproval')}</Text>
        </Stack>
        <Stack gap={0}>
          <Text fz={28} fw={700}>
            {formatNumber(scheduled.data?.items.length ?? 0)}
          </Text>
          <Text size="sm">{t('dashboard.thisWeek')}</Text>
        </Stack>
      </Group>
      {(scheduled.data?.items ?? []).slice(0, 3).map((p) => (
        <Text key={p.id} size="xs" c="dimmed" lineClamp={1}>
          {formatDateTime(p.scheduledAt)} · {p.text}
        </Text>
      ))}
    </DashCard>
  )
}

function Article7Overdue() {
  const { t } = useTranslation()
  const query = useQuery({
    queryKey: ['campaigns', '/v1/reports/due', { status: 'overdue' }],
    queryFn: () => ok(campaigns.GET('/v1/reports/due', { params: { query: { status: 'overdue' } } })),
  })
  return (
    <QueryState query={query}>
      {(data) => {
        // One line per state: its most overdue report, and how many it owes.
        const byState = new Map<string, { name: string; owed: number; daysLate: number }>()
        for (const r of data.items) {
          const s = byState.get(r.iso3) ?? { name: r.name, owed: 0, daysLate: 0 }
          byState.set(r.iso3, { name: r.name, owed: s.owed + 1, daysLate: Math.max(s.daysLate, r.daysLate) })
        }
        const worst = [...byState].sort((a, b) => b[1].daysLate - a[1].daysLate).slice(0, 5)
        return (
          <DashCard title={t('dashboard.article7', { count: byState.size })}>
            <List spacing={2} size="sm">
              {worst.map(([iso3, s]) => (
                <List.Item key={iso3}>
                  <Anchor component={Link} to={`/states/${iso3}`} size="sm">
                    {s.name}
                  </Anchor>{' '}
                  <Text span size="xs" c="dimmed">
                    {t('dashboard.reportsOwed', { count: s.owed })}
                  </Text>
                </List.Item>
              ))}
            </List>
          </DashCard>
        )
      }}
    </QueryState>
  )
}

function Funnels() {
  const { t } = useTranslation()
  const list = useCampaigns()
  const active = (list.data ?? []).filter((c) => c.status === 'active')
  const progress = useQueries({
    queries: active.map((c) => ({
      queryKey: ['campaigns', '/v1/campaigns/{id}/progress', { id: c.id }],
      queryFn: () => ok(campaigns.GET('/v1/campaigns/{id}/progress', { params: { path: { id: c.id } } })),
    })),
  })
  return (
    <DashCard title={t('dashboard.funnels')} to="/campaigns">
      {active.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('dashboard.noCampaigns')}
        </Text>
      )}
      <Grid>
        {active.map((c, i) => (
          <Grid.Col key={c.id} span={{ base: 12, md: 6 }}>
            <Anchor component={Link} to={`/campaigns/${c.id}`} fw={600} size="sm">
              {c.name}
            </Anchor>
            {progress[i]?.data && (
              <Suspense fallback={null}>
                <CampaignFunnel perStage={progress[i].data.targetsPerStage} />
              </Suspense>
            )}
          </Grid.Col>
        ))}
      </Grid>
    </DashCard>
  )
}

export default function DashboardPage() {
  const { t } = useTranslation()
  const states = useStates()
  return (
    <>
      <PageHeader title={t('nav.dashboard')} />
      <Grid>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Card withBorder padding="md" component="section" aria-label={t('dashboard.map')}>
            <Title order={2} size="h5" mb="xs">
              {t('dashboard.map')}
            </Title>
            <QueryState query={states}>{(list) => <WorldMap states={list} />}</QueryState>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack>
            <StatesParties />
            <MyFollowUps />
            <Posts />
            <Article7Overdue />
          </Stack>
        </Grid.Col>
        <Grid.Col span={12}>
          <Funnels />
        </Grid.Col>
      </Grid>
    </>
  )
}
