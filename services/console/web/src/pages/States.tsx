/**
 * The 197 states: filtered by treaty status, UN regional group, a campaign's stage, or part of the name; sorted by
 * any column. All in the browser over the cached list, so filtering and sorting are instant; the filters live in the
 * address, so a filtered list can be shared or bookmarked.
 */
import { useMemo } from 'react'
import { Anchor, Group, Select, Table, TextInput, Text, UnstyledButton } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { Link, useSearchParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { campaigns, ok } from '../api/client'
import { PageHeader } from '../components/PageHeader'
import { QueryState } from '../components/QueryState'
import { StatusBadge } from '../components/StatusBadge'
import { formatDate, formatNumber } from '../format'
import { REGIONS, STAGES, STATUSES, useCampaigns, useStates, type Stage, type State } from '../queries'

type SortKey = 'name' | 'status' | 'regionalGroup' | 'depositedOn'

function compare(a: State, b: State, key: SortKey): number {
  const x = a[key] ?? ''
  const y = b[key] ?? ''
  return x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name)
}

export default function StatesPage() {
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const status = params.get('status')
  const region = params.get('region')
  const campaignId = params.get('campaign')
  const stage = params.get('stage') as Stage | null
  const q = params.get('q') ?? ''
  const sort = (params.get('sort') ?? 'name') as SortKey
  const desc = params.get('dir') === 'desc'
  const set = (key: string, value: string | null) =>
    setParams(
      (p) => {
        if (value) p.set(key, value)
        else p.delete(key)
        return p
      },
      { replace: true },
    )

  const states = useStates()
  const campaignList = useCampaigns()
  const targets = useQuery({
    queryKey: ['campaigns', '/v1/campaigns/{id}/targets', { id: campaignId, stage }],
    queryFn: () =>
      ok(
        campaigns.GET('/v1/campaigns/{id}/targets', {
          params: { path: { id: campaignId! }, query: stage ? { stage } : {} },
        }),
      ),
    enabled: !!campaignId,
  })
  const inCampaign = useMemo(
    () => (campaignId && targets.data ? new Set(targets.data.items.map((x) => x.iso3)) : null),
    [campaignId, targets.data],
  )

  const rows = useMemo(() => {
    const needle = q.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    const list = (states.data ?? []).filter(
      (s) =>
        (!status || s.status === status) &&
        (!region || s.regionalGroup === region) &&
        (!inCampaign || inCampaign.has(s.iso3)) &&
        (!needle ||
          s.iso3.toLowerCase() === needle ||
          s.name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().includes(needle)),
    )
    list.sort((a, b) => compare(a, b, sort) * (desc ? -1 : 1))
    return list
  }, [states.data, status, region, inCampaign, q, sort, desc])

  const header = (key: SortKey, label: string) => (
    <Table.Th aria-sort={sort === key ? (desc ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton
        fw={700}
        onClick={() => {
          set('dir', sort === key && !desc ? 'desc' : null)
          set('sort', key === 'name' ? null : key)
        }}
      >
        {label} {sort === key ? (desc ? '▼' : '▲') : ''}
      </UnstyledButton>
    </Table.Th>
  )

  return (
    <>
      <PageHeader title={t('nav.states')} subtitle={t('states.count', { count: rows.length })} />
      <Group mb="md" align="flex-end" wrap="wrap">
        <TextInput
          label={t('states.filterName')}
          value={q}
          onChange={(e) => set('q', e.currentTarget.value || null)}
          w={200}
        />
        <Select
          label={t('states.status')}
          placeholder={t('common.all')}
          clearable
          data={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          value={status}
          onChange={(v) => set('status', v)}
          w={170}
        />
        <Select
          label={t('states.region')}
          placeholder={t('common.all')}
          clearable
          data={REGIONS}
          value={region}
          onChange={(v) => set('region', v)}
          w={170}
        />
        <Select
          label={t('states.campaign')}
          placeholder={t('common.all')}
          clearable
          data={(campaignList.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={campaignId}
          onChange={(v) => {
            set('campaign', v)
            if (!v) set('stage', null)
          }}
          w={220}
        />
        <Select
          label={t('states.stage')}
          placeholder={t('common.all')}
          clearable
          disabled={!campaignId}
          data={STAGES.map((s) => ({ value: s, label: t(`stages.${s}`) }))}
          value={stage}
          onChange={(v) => set('stage', v)}
          w={170}
        />
      </Group>
      <QueryState query={states}>
        {() => (
          <Table striped highlightOnHover stickyHeader>
            <Table.Thead>
              <Table.Tr>
                {header('name', t('states.name'))}
                {header('status', t('states.status'))}
                {header('regionalGroup', t('states.region'))}
                {header('depositedOn', t('states.deposited'))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((s) => (
                <Table.Tr key={s.iso3}>
                  <Table.Td>
                    <Anchor component={Link} to={`/states/${s.iso3}`}>
                      {s.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={s.status} pending={s.withdrawalPending} />
                  </Table.Td>
                  <Table.Td>{s.regionalGroup}</Table.Td>
                  <Table.Td>{formatDate(s.depositedOn)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {rows.length === 0 && states.data && <Text c="dimmed">{t('states.none', { n: formatNumber(0) })}</Text>}
    </>
  )
}
