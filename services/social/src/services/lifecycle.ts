import type { WriteTransaction } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import type { DeliveriesRepository, Delivery, DeliveryStatus } from '../repositories/deliveries.ts'
import type { Post, PostsRepository, PostStatus } from '../repositories/posts.ts'

export const SCHEDULER: WriteContext = { actor: 'system:social-scheduler', correlationId: 'social-scheduler' }

/**
 * A scheduled post's status follows its deliveries: publishing while one is under way, scheduled
 * while one waits, then the outcome that most needs a person (unconfirmed, failed, missed) before
 * published or cancelled.
 */
export function postStatusOf(statuses: DeliveryStatus[]): PostStatus | null {
  if (statuses.length === 0) return null
  const has = (s: DeliveryStatus) => statuses.includes(s)
  if (has('publishing')) return 'publishing'
  if (has('scheduled')) return 'scheduled'
  if (has('unconfirmed')) return 'unconfirmed'
  if (has('failed')) return 'failed'
  if (has('missed')) return 'missed'
  if (has('published')) return 'published'
  return 'cancelled'
}

const settledEvents = {
  published: 'social.post.published',
  failed: 'social.post.failed',
  unconfirmed: 'social.post.unconfirmed',
} as const

export function createPostLifecycle(deps: { posts: PostsRepository; deliveries: DeliveriesRepository }) {
  const { posts, deliveries } = deps

  const deliveryFacts = (list: Delivery[]) =>
    list.map((d) => ({
      channelId: d.channelId,
      platform: d.platform,
      status: d.status,
      remoteIds: d.remoteIds,
      url: d.url,
      error: d.error,
      attempts: d.attempts,
    }))

  return {
    deliveryFacts,

    /** The event every workflow step emits, with the post's identity and nothing secret. */
    async emit(
      { writes }: WriteTransaction,
      type: 'social.post.submitted' | 'social.post.approved' | 'social.post.scheduled' | 'social.post.cancelled',
      post: Post,
      ctx: WriteContext,
    ): Promise<void> {
      const base = { id: post.id, channels: post.channels, status: post.status, author: post.author }
      const envelope = { subject: post.id, actor: ctx.actor, correlationId: ctx.correlationId }
      if (type === 'social.post.submitted')
        writes.event({ ...envelope, type, data: { ...base, causedByEventId: post.causedByEventId } })
      else if (type === 'social.post.approved')
        writes.event({ ...envelope, type, data: { ...base, approvedBy: post.approvedBy ?? ctx.actor } })
      else if (type === 'social.post.scheduled')
        writes.event({ ...envelope, type, data: { ...base, scheduledAt: post.scheduledAt!, timeZone: post.timeZone } })
      else writes.event({ ...envelope, type, data: base })
    },

    /**
     * Re-derives the post's status from its deliveries inside the caller's transaction (the post row
     * must already be locked), and announces a settled outcome once.
     */
    async refresh(
      post: Post,
      { client, writes }: WriteTransaction,
      ctx: WriteContext = SCHEDULER,
    ): Promise<PostStatus> {
      const next = postStatusOf(await deliveries.statusesOf(post.id, client))
      if (!next || next === post.status) return post.status
      await posts.setStatusBySystem(post.id, next, client)
      writes.audit({
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        entityType: 'post',
        entityId: post.id,
        action: `post.${next}`,
        before: { status: post.status },
        after: { status: next },
      })
      if (next in settledEvents) {
        const list = await deliveries.forPosts([post.id], client)
        writes.event({
          type: settledEvents[next as keyof typeof settledEvents],
          subject: post.id,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          data: {
            id: post.id,
            channels: post.channels,
            status: next,
            author: post.author,
            deliveries: deliveryFacts(list),
          },
        })
      }
      return next
    },
  }
}

export type PostLifecycle = ReturnType<typeof createPostLifecycle>
