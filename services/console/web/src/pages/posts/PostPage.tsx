import { Alert, Anchor, Breadcrumbs, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ProblemError } from '../../api/client'
import { useSession } from '../../session'
import { channelsQuery, postQuery } from './api'
import { Changes } from './Changes'
import { Deliveries } from './Deliveries'
import { ReviewButtons } from './ReviewButtons'
import { StatusBadge } from './StatusBadge'
import { usePostActions } from './usePostActions'
import { PageHeader } from '../../components/PageHeader'

const editable = ['draft', 'submitted', 'approved', 'scheduled', 'missed', 'failed']
const schedulable = ['approved', 'scheduled', 'missed', 'failed']

/** One post: what it says, where it stands, who may act on it next, and its deliveries. */
export default function PostPage() {
  const { t, i18n } = useTranslation()
  const { id = '' } = useParams()
  const session = useSession()
  const { data: post } = useQuery(postQuery(id))
  const channels = useQuery(channelsQuery).data ?? []
  const { submit, cancel, publishNow } = usePostActions()
  if (!post) return <Loader aria-label={t('posts.loading')} />
  const canWrite = session.can('editor')
  const failure = [submit.error, cancel.error, publishNow.error].find((e) => e instanceof ProblemError)
  const name = (cid: string) => channels.find((c) => c.id === cid)?.name ?? cid
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to="/posts">
          {t('posts.title')}
        </Anchor>
        <Text>{t('posts.post')}</Text>
      </Breadcrumbs>
      <PageHeader
        title={t('posts.post')}
        subtitle={<StatusBadge status={post.status} />}
        actions={
          canWrite && (
            <Group gap="xs">
              {editable.includes(post.status) && (
                <Button component={Link} to={`/posts/${post.id}/edit`} variant="default">
                  {t('posts.edit')}
                </Button>
              )}
              {post.status === 'draft' && (
                <Button onClick={() => submit.mutate(post)} loading={submit.isPending}>
                  {t('posts.compose.submit')}
                </Button>
              )}
              {schedulable.includes(post.status) && (
                <Button onClick={() => publishNow.mutate(post)} loading={publishNow.isPending}>
                  {t('posts.publishNow')}
                </Button>
              )}
              {editable.includes(post.status) && (
                <Button variant="default" color="red" onClick={() => cancel.mutate(post)} loading={cancel.isPending}>
                  {t('posts.cancel')}
                </Button>
              )}
            </Group>
          )
        }
      />
      {failure instanceof ProblemError && (
        <Alert color="red" role="alert">
          {failure.problem.detail ?? failure.problem.title}
        </Alert>
      )}
      {post.reviewNote && (
        <Alert color="yellow" title={t('posts.reviewNote')}>
          {post.reviewNote}
        </Alert>
      )}
      <Text size="sm">
        {t('posts.meta', {
          author: post.author,
          channels: post.channels.map(name).join(', '),
          when: post.scheduledAt
            ? `${new Date(post.scheduledAt).toLocaleString(i18n.language, {
                dateStyle: 'full',
                timeStyle: 'short',
                timeZone: post.timeZone,
              })} (${post.timeZone})`
            : t('posts.unscheduled'),
        })}
      </Text>
      <Card withBorder>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{post.text}</Text>
        {post.thread.map((part, i) => (
          <Text
            key={i}
            mt="sm"
            pt="sm"
            style={{ whiteSpace: 'pre-wrap', borderTop: '1px solid var(--mantine-color-gray-3)' }}
          >
            {part}
          </Text>
        ))}
        {Object.entries(post.variants).map(([cid, variant]) => (
          <Stack key={cid} gap={2} mt="sm">
            <Text size="sm" fw={600}>
              {t('posts.variantFor', { channel: name(cid) })}
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{variant.text}</Text>
          </Stack>
        ))}
      </Card>
      {post.status === 'submitted' && (
        <>
          <Changes post={post} />
          {canWrite && <ReviewButtons post={post} />}
        </>
      )}
      <Title order={2} size="h3">
        {t('posts.deliveries.title')}
      </Title>
      <Deliveries post={post} channels={channels} canWrite={canWrite} />
    </Stack>
  )
}
