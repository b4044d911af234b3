import { Anchor, Badge, Breadcrumbs, Loader, Stack, Tabs, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { lazy, Suspense } from 'react'
import { Link, useParams, useSearchParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useSession } from '../../session'
import { campaignQuery, targetsQuery, tasksQuery } from './api'
import { Board } from './Board'
import { TargetDrawer } from './TargetDrawer'
import { TasksPanel } from './TasksPanel'
import { PageHeader } from '../../components/PageHeader'

// The progress tab carries the charts library: loaded when the tab is first opened.
const ProgressPanel = lazy(() => import('./ProgressPanel'))

/** A campaign: its board, its tasks and its progress, with the target drawer over any of them. */
export default function CampaignPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const [params, setParams] = useSearchParams()
  const session = useSession()
  const campaign = useQuery(campaignQuery(id))
  const targets = useQuery(targetsQuery(id))
  const tasks = useQuery(tasksQuery(id))
  const tab = params.get('tab') ?? 'board'
  const open = params.get('target')
  const setParam = (name: string, value: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current)
      if (value) next.set(name, value)
      else next.delete(name)
      return next
    })

  if (!campaign.data || !targets.data) return <Loader aria-label={t('campaigns.loading')} />
  const c = campaign.data
  const canWrite = session.can('editor') && (c.status === 'planned' || c.status === 'active')
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/campaigns">
          {t('campaigns.title')}
        </Anchor>
        <Text>{c.name}</Text>
      </Breadcrumbs>
      <PageHeader
        title={c.name}
        subtitle={c.objective}
        actions={
          <>
            <Badge variant="default">{t(`campaigns.status.${c.status}`)}</Badge>
            <Text size="sm">{t('campaigns.board.owner', { owner: c.owner })}</Text>
          </>
        }
      />
      <Tabs value={tab} onChange={(value) => setParam('tab', value === 'board' ? null : value)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="board">{t('campaigns.tabs.board')}</Tabs.Tab>
          <Tabs.Tab value="tasks">
            {t('campaigns.tabs.tasks', { count: tasks.data?.filter((x) => x.status === 'open').length ?? 0 })}
          </Tabs.Tab>
          <Tabs.Tab value="progress">{t('campaigns.tabs.progress')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="board" pt="md">
          <Board
            campaign={c}
            targets={targets.data}
            tasks={tasks.data ?? []}
            canMove={canWrite}
            onOpen={(iso3) => setParam('target', iso3)}
          />
        </Tabs.Panel>
        <Tabs.Panel value="tasks" pt="md">
          <TasksPanel
            campaign={c}
            targets={targets.data}
            tasks={tasks.data ?? []}
            me={session.user.username}
            canWrite={canWrite}
          />
        </Tabs.Panel>
        <Tabs.Panel value="progress" pt="md">
          <Suspense fallback={<Loader aria-label={t('campaigns.loading')} />}>
            <ProgressPanel campaignId={id} onOpen={(iso3) => setParam('target', iso3)} />
          </Suspense>
        </Tabs.Panel>
      </Tabs>
      <TargetDrawer campaignId={id} iso3={open} onClose={() => setParam('target', null)} />
    </Stack>
  )
}
