import { Card, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useSession } from '../../session'
import { channelsQuery, queueQuery } from './api'
import { Changes } from './Changes'
import { PostSummary } from './PostSummary'
import { ReviewButtons } from './ReviewButtons'

/** Posts waiting for a second person: what each says, what changed since it was last read, approve or reject. */
export function ApprovalQueue() {
  const { t } = useTranslation()
  const session = useSession()
  const { data } = useQuery(queueQuery)
  const channels = useQuery(channelsQuery).data ?? []
  if (data && data.length === 0) return <Text>{t('posts.queue.empty')}</Text>
  return (
    <Stack>
      {data?.map((post) => (
        <Card key={post.id} withBorder data-testid={`queue-${post.id}`}>
          <Stack gap="xs">
            <PostSummary post={post} channels={channels} />
            <Changes post={post} />
            {session.can('editor') && <ReviewButtons post={post} />}
          </Stack>
        </Card>
      ))}
    </Stack>
  )
}
