import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ProblemError } from '../../api/client'
import type { Post } from './api'
import { usePostActions } from './usePostActions'

const reasonOf = (error: unknown) =>
  error instanceof ProblemError
    ? (error.problem.invalidParams?.[0]?.reason ?? error.problem.detail ?? error.message)
    : String(error)

/**
 * Approve or reject a submitted post. The API decides who may approve (not the author, nor anyone who changed
 * its words): its reason is shown as it gave it, beside the buttons.
 */
export function ReviewButtons({ post }: { post: Post }) {
  const { t } = useTranslation()
  const { approve, reject } = usePostActions()
  const [rejecting, setRejecting] = useState(false)
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const onError = (e: unknown) => setError(reasonOf(e))
  return (
    <Stack>
      <Group gap="xs">
        <Button
          size="xs"
          loading={approve.isPending}
          onClick={() => {
            setError(null)
            approve.mutate(post, { onError })
          }}
        >
          {t('posts.queue.approve')}
        </Button>
        <Button size="xs" variant="default" onClick={() => setRejecting(true)}>
          {t('posts.queue.reject')}
        </Button>
      </Group>
      {error && (
        <Text size="sm" c="red.9" role="alert" data-testid="review-error">
          {error}
        </Text>
      )}
      <Modal opened={rejecting} onClose={() => setRejecting(false)} title={t('posts.queue.rejectTitle')} centered>
        <form
          onSubmit={(event) => {
            event.preventDefault()
            reject.mutate(
              { post, note: note.trim() },
              {
                onSuccess: () => {
                  setRejecting(false)
                  setNote('')
                },
                onError,
              },
            )
          }}
        >
          <Textarea
            label={t('posts.queue.note')}
            description={t('posts.queue.noteHint')}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            error={reject.error ? reasonOf(reject.error) : undefined}
            autosize
            minRows={3}
            data-autofocus
          />
          <Group justify="flex-end" mt="md">
            <Button type="submit" disabled={!note.trim()} loading={reject.isPending}>
              {t('posts.queue.sendBack')}
            </Button>
          </Group>
        </form>
      </Modal>
    </Stack>
  )
}
