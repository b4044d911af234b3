import { Paper, Stack, Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { Post } from './api'
import { diffWords } from './diff'
import { lastSeen } from './seen'

/** What changed in a post since this reviewer last read it (and who changed it since the last approval). */
export function Changes({ post }: { post: Post }) {
  const { t } = useTranslation()
  const seen = lastSeen(post.id)
  const editors = post.editedBy.filter((who) => who !== post.author)
  const changed = seen && seen.version < post.version
  if (!changed && editors.length === 0) return null
  const parts = changed
    ? [
        ['text', seen.text, post.text] as const,
        ...post.thread.map((part, i) => [`thread ${i + 2}`, seen.thread[i] ?? '', part] as const),
      ].filter(([, before, after]) => before !== after)
    : []
  return (
    <Paper withBorder p="xs" bg="yellow.0" data-testid="changes">
      <Stack gap={4}>
        {editors.length > 0 && <Text size="sm">{t('posts.queue.editedBy', { names: editors.join(', ') })}</Text>}
        {changed && (
          <Text size="sm" fw={600}>
            {t('posts.queue.changedSince', { from: seen.version, to: post.version })}
          </Text>
        )}
        {parts.map(([name, before, after]) => (
          <Text key={name} size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {diffWords(before, after).map((piece, i) =>
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
