import { Anchor, Badge, Button, Group, Modal, Radio, Stack, Table, Text, TextInput } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ProblemError } from '../../api/client'
import type { Channel, Delivery, Post } from './api'
import { usePostActions } from './usePostActions'

/** Settles an unconfirmed delivery: someone found it on the platform (its URL), or it is sent again. */
function ResolveModal({ post, delivery, onClose }: { post: Post; delivery: Delivery | null; onClose: () => void }) {
  const { t } = useTranslation()
  const { resolve } = usePostActions()
  const [outcome, setOutcome] = useState<'published' | 'retry'>('published')
  const [url, setUrl] = useState('')
  const problem = resolve.error instanceof ProblemError ? resolve.error.problem : undefined
  const urlError = problem?.invalidParams?.find((p) => p.name.endsWith('url'))?.reason
  return (
    <Modal opened={delivery !== null} onClose={onClose} title={t('posts.deliveries.resolveTitle')} centered>
      {delivery && (
        <form
          onSubmit={(event) => {
            event.preventDefault()
            const resolution = outcome === 'published' ? { outcome, url: url.trim() } : { outcome }
            resolve.mutate({ post, channelId: delivery.channelId, resolution }, { onSuccess: onClose })
          }}
        >
          <Stack>
            <Text size="sm">{t('posts.deliveries.resolveHint')}</Text>
            <Radio.Group
              label={t('posts.deliveries.outcome')}
              value={outcome}
              onChange={(v) => setOutcome(v as typeof outcome)}
            >
              <Stack gap="xs" mt={4}>
                <Radio value="published" label={t('posts.deliveries.foundIt')} />
                <Radio value="retry" label={t('posts.deliveries.retry')} />
              </Stack>
            </Radio.Group>
            {outcome === 'published' && (
              <TextInput
                label={t('posts.deliveries.url')}
                value={url}
                onChange={(e) => setUrl(e.currentTarget.value)}
                error={urlError}
              />
            )}
            {problem && !urlError && (
              <Text size="sm" c="red.9" role="alert">
                {problem.detail ?? problem.title}
              </Text>
            )}
            <Group justify="flex-end">
              <Button type="submit" loading={resolve.isPending}>
                {t('posts.deliveries.resolve')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  )
}

/** Where the post went, channel by channel; an unconfirmed delivery offers "resolve" to an editor. */
export function Deliveries({ post, channels, canWrite }: { post: Post; channels: Channel[]; canWrite: boolean }) {
  const { t, i18n } = useTranslation()
  const [resolving, setResolving] = useState<Delivery | null>(null)
  if (post.deliveries.length === 0) return <Text size="sm">{t('posts.deliveries.none')}</Text>
  const when = (iso: string | null) =>
    iso ? new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) : ''
  return (
    <>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('posts.deliveries.channel')}</Table.Th>
            <Table.Th>{t('posts.deliveries.status')}</Table.Th>
            <Table.Th>{t('posts.deliveries.due')}</Table.Th>
            <Table.Th>{t('posts.deliveries.published')}</Table.Th>
            <Table.Th>{t('posts.deliveries.attempts')}</Table.Th>
            <Table.Th>{t('posts.deliveries.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {post.deliveries.map((d) => (
            <Table.Tr key={d.channelId} data-testid={`delivery-${d.platform}`}>
              <Table.Td>{channels.find((c) => c.id === d.channelId)?.name ?? d.platform}</Table.Td>
              <Table.Td>
                <Badge variant="default">{t(`posts.status.${d.status}`)}</Badge>
                {d.error && (
                  <Text size="xs" c="red.9">
                    {d.error}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{when(d.dueAt)}</Table.Td>
              <Table.Td>
                {d.url ? (
                  <Anchor href={d.url} target="_blank" rel="noreferrer">
                    {when(d.publishedAt) || d.url}
                  </Anchor>
                ) : (
                  when(d.publishedAt)
                )}
              </Table.Td>
              <Table.Td>{d.attempts}</Table.Td>
              <Table.Td>
                {canWrite && d.status === 'unconfirmed' && (
                  <Button size="compact-sm" variant="default" onClick={() => setResolving(d)}>
                    {t('posts.deliveries.resolve')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ResolveModal post={post} delivery={resolving} onClose={() => setResolving(null)} />
    </>
  )
}
