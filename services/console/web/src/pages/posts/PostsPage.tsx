import { Badge, Button, Loader, Stack, Tabs, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { useSession } from '../../session'
import { channelsQuery, queueQuery, recentQuery } from './api'
import { ApprovalQueue } from './ApprovalQueue'
import { PostSummary } from './PostSummary'
import { PageHeader } from '../../components/PageHeader'

// The calendar is the heaviest view of the page and not the first one shown: loaded when its tab opens.
const Calendar = lazy(() => import('./Calendar'))

/** Posts: the approval queue, the calendar and the latest posts, with the composer a click away. */
export default function PostsPage() {
  const { t } = useTranslation()
  const session = useSession()
  const [params, setParams] = useSearchParams()
  const tab = params.get('tab') ?? 'queue'
  const queue = useQuery(queueQuery)
  const recent = useQuery({ ...recentQuery, enabled: tab === 'all' })
  const channels = useQuery(channelsQuery).data ?? []
  return (
    <Stack>
      <PageHeader
        title={t('posts.title')}
        actions={
          session.can('editor') && (
            <Button component={Link} to="/posts/new">
              {t('posts.new')}
            </Button>
          )
        }
      />
      <Tabs
        value={tab}
        onChange={(value) => setParams(value && value !== 'queue' ? { tab: value } : {})}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab
            value="queue"
            rightSection={
              queue.data?.length ? (
                <Badge size="xs" variant="default">
                  {queue.data.length}
                </Badge>
              ) : null
            }
          >
            {t('posts.tabs.queue')}
          </Tabs.Tab>
          <Tabs.Tab value="calendar">{t('posts.tabs.calendar')}</Tabs.Tab>
          <Tabs.Tab value="all">{t('posts.tabs.all')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="queue" pt="md">
          <ApprovalQueue />
        </Tabs.Panel>
        <Tabs.Panel value="calendar" pt="md">
          <Suspense fallback={<Loader aria-label={t('posts.loading')} />}>
            <Calendar />
          </Suspense>
        </Tabs.Panel>
        <Tabs.Panel value="all" pt="md">
          <Stack>
            {recent.data?.length === 0 && <Text>{t('posts.none')}</Text>}
            {recent.data?.map((post) => (
              <PostSummary key={post.id} post={post} channels={channels} />
            ))}
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  )
}
