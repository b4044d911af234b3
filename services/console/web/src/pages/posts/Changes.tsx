import { Paper, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '../../format'
import { channelsQuery, type Post } from './api'
import { diffWords } from './diff'

type Submitted = NonNullable<Post['submitted']>
/** A text of the post (`key`: 'text', a thread part's index, or a variant's channel) as submitted and as it is. */
type Part = { key: string; label: string; before: string; after: string }

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x))

/**
 * What changed in a submitted post since its author submitted it, as the service kept it: who changed it, then each
 * text word by word, and whether its channels or images changed. Nothing when it reads as submitted.
 */
export function Changes({ post }: { post: Post }) {
  const { t } = useTranslation()
  const channels = useQuery(channelsQuery).data ?? []
  if (post.status !== 'submitted' || !post.submitted) return null
  const channelName = (id: string) => channels.find((c) => c.id === id)?.name ?? id
  const before: Submitted = post.submitted
  const variantIds = [...new Set([...Object.keys(before.variants), ...Object.keys(post.variants)])]
  const parts: Part[] = [
    { key: 'text', label: t('posts.changes.text'), before: before.text, after: post.text },
    ...Array.from({ length: Math.max(before.thread.length, post.thread.length) }, (_, i) => ({
      key: `thread-${i}`,
      label: t('posts.changes.threadPart', { n: i + 2 }),
      before: before.thread[i] ?? '',
      after: post.thread[i] ?? '',
    })),
    ...variantIds.map((id) => ({
      key: `variant-${id}`,
      label: t('posts.changes.variant', { channel: channelName(id) }),
      before: before.variants[id]?.text ?? '',
      after: post.variants[id]?.text ?? '',
    })),
  ].filter((part) => part.before !== part.after)
  const channelsChanged = !sameSet(before.channels, post.channels)
  const mediaChanged = !sameSet(before.media, post.media)
  const editors = post.editedBy.filter((who) => who !== post.author)
  if (parts.length === 0 && !channelsChanged && !mediaChanged && editors.length === 0) return null
  return (
    <Paper withBorder p="xs" bg="yellow.0" data-testid="changes">
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('posts.changes.since', { who: before.submittedBy, when: formatDateTime(before.submittedAt) })}
        </Text>
        {editors.length > 0 && <Text size="sm">{t('posts.queue.editedBy', { names: editors.join(', ') })}</Text>}
        {channelsChanged && (
          <Text size="sm">
            {t('posts.changes.channels', {
              before: before.channels.map(channelName).join(', '),
              after: post.channels.map(channelName).join(', '),
            })}
          </Text>
        )}
        {mediaChanged && <Text size="sm">{t('posts.changes.media')}</Text>}
        {parts.map((part) => (
          <Text key={part.key} size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            <Text span size="sm" fw={600}>
              {part.label}:{' '}
            </Text>
            {diffWords(part.before, part.after).map((piece, i) =>
              piece.kind === 'same' ? (
                <span key={i}>{piece.text}</span>
              ) : piece.kind === 'added' ? (
                <ins key={i} style={{ background: 'var(--mantine-color-green-1)' }}>
                  {piece.text}
                </ins>
              ) : (
                <del key={i} style={{ background: 'var(--mantine-color-red-1)' }}>
                  {piece.text}
                </del>
              ),
            )}
          </Text>
        ))}
      </Stack>
    </Paper>
  )
}
