import { Anchor, Group, Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { Channel, Post } from './api'
import { StatusBadge } from './StatusBadge'

/** A post in a list: its status, channels, time (in its own zone and the reader's) and the start of its text. */
export function PostSummary({ post, channels }: { post: Post; channels: Channel[] }) {
  const { t, i18n } = useTranslation()
  const names = post.channels.map((id) => channels.find((c) => c.id === id)?.name ?? id).join(', ')
  const when = post.scheduledAt
    ? new Date(post.scheduledAt).toLocaleString(i18n.language, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: post.timeZone,
      })
    : t('posts.unscheduled')
  return (
    <div>
      <Group gap="xs">
        <StatusBadge status={post.status} />
        <Text size="sm">{names}</Text>
        <Text size="sm">
          {when}
          {post.scheduledAt ? ` (${post.timeZone})` : ''}
        </Text>
        <Text size="sm">{t('posts.by', { author: post.author })}</Text>
      </Group>
      <Anchor component={Link} to={`/posts/${post.id}`} size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={3}>
        {post.text}
      </Anchor>
    </div>
  )
}
