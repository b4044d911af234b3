import { withTransaction, type Db, type DbClient, type Queryable } from '@ccm/db'
import type { Events, WriteBuffer, WriteTransaction } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import { invalidInput, type InvalidParam } from '@ccm/http'
import { errors } from '../errors.ts'
import type { ChannelsRepository } from '../repositories/channels.ts'
import type { DeliveriesRepository } from '../repositories/deliveries.ts'
import type { MediaRepository } from '../repositories/media.ts'
import type { Post, PostContent, PostFilter, PostsRepository, PostStatus } from '../repositories/posts.ts'
import type { PostLifecycle } from './lifecycle.ts'
import type { Timer } from './timers.ts'
import { checkLengths, isTimeZone } from './validation.ts'

export const MAX_MEDIA = 4
export const DEFAULT_TIME_ZONE = 'Europe/Zurich'

export type PostInput = Partial<Omit<PostContent, 'scheduledAt'>> & { text: string; scheduledAt?: string | null }

const editable: readonly PostStatus[] = ['draft', 'submitted', 'approved', 'scheduled', 'missed', 'failed']
const schedulable: readonly PostStatus[] = ['approved', 'scheduled', 'missed', 'failed']
const cancellable: readonly PostStatus[] = ['draft', 'submitted', 'approved', 'scheduled', 'missed', 'failed']

const auditView = (p: Post) => ({
  status: p.status,
  text: p.text,
  variants: p.variants,
  thread: p.thread,
  language: p.language,
  media: p.media,
  channels: p.channels,
  scheduledAt: p.scheduledAt,
  timeZone: p.timeZone,
  approvedBy: p.approvedBy,
  reviewNote: p.reviewNote,
  editedBy: p.editedBy,
})

/** What goes out: whoever changes any of it has written the post as much as its author has. */
const words = (c: PostContent) => JSON.stringify([c.text, c.variants, c.thread, c.media, c.channels])

export function createPostsService(deps: {
  /** For reads that must see posts and their deliveries as of one moment. */
  db: Db
  events: Pick<Events, 'withWrites'>
  posts: PostsRepository
  deliveries: DeliveriesRepository
  channels: ChannelsRepository
  media: MediaRepository
  lifecycle: PostLifecycle
  /** Called after commit with deliveries to index for the scheduler. */
  schedule(timers: Timer[]): Promise<void>
}) {
  const { db, events, posts, deliveries, channels, media, lifecycle } = deps

  async function withDeliveries(list: Post[], client?: Queryable) {
    const all = await deliveries.forPosts(
      list.map((p) => p.id),
      client,
    )
    return list.map((post) => ({ ...post, deliveries: all.filter((d) => d.postId === post.id) }))
  }
  // Posts and their deliveries read as of one moment: a delivery settling between the two reads would
  // otherwise show a post whose status its deliveries contradict.
  const snapshot = <T>(read: (client: Queryable) => Promise<T>) => withTransaction(db, read, { readOnlySnapshot: true })

  /** Everything about a post that can be checked when it is written, each problem naming its field. */
  async function validate(content: PostContent, client: DbClient): Promise<void> {
    const problems: InvalidParam[] = []
    const found = await channels.getMany(content.channels, client)
    for (const id of content.channels)
      if (!found.some((c) => c.id === id)) problems.push({ name: 'body.channels', reason: `no channel with id ${id}` })
    for (const id of Object.keys(content.variants)) {
      if (!content.channels.includes(id))
        problems.push({ name: `body.variants.${id}`, reason: 'a variant for a channel the post does not go to' })
    }
    if (content.thread.length && !found.some((c) => c.platform === 'x'))
      problems.push({ name: 'body.thread', reason: 'a thread needs at least one X channel' })
    if (content.media.length > MAX_MEDIA)
      problems.push({ name: 'body.media', reason: `at most ${MAX_MEDIA} images, not ${content.media.length}` })
    const existing = await media.existing(content.media, client)
    for (const id of content.media)
      if (!existing.has(id)) problems.push({ name: 'body.media', reason: `no media with id ${id}` })
    if (!isTimeZone(content.timeZone))
      problems.push({ name: 'body.timeZone', reason: `${content.timeZone} is not an IANA time zone` })
    problems.push(...checkLengths(content, found))
    if (problems.length) throw invalidInput(problems)
  }

  function contentOf(input: PostInput, base?: Post): PostContent {
    return {
      text: input.text,
      variants: input.variants ?? base?.variants ?? {},
      translations: input.translations ?? base?.translations ?? {},
      thread: input.thread ?? base?.thread ?? [],
      language: input.language ?? base?.language ?? 'en',
      media: input.media ?? base?.media ?? [],
      channels: input.channels ?? base?.channels ?? [],
      scheduledAt: input.scheduledAt === undefined ? (base?.scheduledAt ?? null) : input.scheduledAt,
      timeZone: input.timeZone ?? base?.timeZone ?? DEFAULT_TIME_ZONE,
    }
  }

  async function lockPost(id: string, client: DbClient, version?: number): Promise<Post> {
    const post = await posts.getForUpdate(id, client)
    if (!post) throw new errors.PostNotFound(id)
    if (version !== undefined && version !== post.version) {
      throw new errors.StaleVersion(`Post ${id} is at version ${post.version}, not ${version}; reload it and try again`)
    }
    return post
  }

  function refuse(post: Post, action: string, allowed: readonly PostStatus[]): never {
    throw new errors.TransitionRefused(
      `Cannot ${action} a post that is ${post.status} (only when ${allowed.join(', ')})`,
    )
  }

  function audit(writes: WriteBuffer, ctx: WriteContext, action: string, before: Post | null, after: Post) {
    writes.audit({
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      entityType: 'post',
      entityId: after.id,
      action,
      before: before ? auditView(before) : null,
      after: auditView(after),
    })
  }

  /** Puts an approved post's deliveries on the timer; without a time it stays approved until publish-now. */
  async function scheduleDeliveries(
    post: Post,
    { client, writes }: WriteTransaction,
    ctx: WriteContext,
    at: string | null,
  ): Promise<{ post: Post; timers: Timer[] }> {
    if (!at) return { post, timers: [] }
    const timers = await deliveries.schedule(post.id, post.channels, at, client)
    const scheduled = await posts.setStatus(post.id, 'scheduled', ctx.actor, client, { scheduledAt: at })
    audit(writes, ctx, 'post.scheduled', post, scheduled)
    await lifecycle.refresh(scheduled, { client, writes }, ctx)
    await lifecycle.emit({ client, writes }, 'social.post.scheduled', scheduled, ctx)
    return { post: (await posts.get(post.id, client))!, timers }
  }

  /** Runs a workflow step on the locked post; deliveries it scheduled are indexed once it has committed. */
  async function transition(
    id: string,
    version: number | undefined,
    work: (post: Post, tx: WriteTransaction) => Promise<{ post: Post; timers?: Timer[] }>,
  ) {
    const result = await events.withWrites(async (tx) => work(await lockPost(id, tx.client, version), tx))
    if (result.timers?.length) await deps.schedule(result.timers)
    return result.post
  }

  return {
    /** A post as a reader sees it: with each channel's delivery. */
    async withDeliveries(post: Post) {
      return (await withDeliveries([post]))[0]!
    },

    async getWithDeliveries(id: string) {
      return snapshot(async (client) => {
        const post = await posts.get(id, client)
        if (!post) throw new errors.PostNotFound(id)
        return (await withDeliveries([post], client))[0]!
      })
    },

    async listWithDeliveries(filter: PostFilter, page: { limit: number; offset: number }) {
      return snapshot(async (client) => {
        const { items, total } = await posts.list(filter, page, client)
        return { items: await withDeliveries(items, client), total }
      })
    },

    async create(input: PostInput, ctx: WriteContext): Promise<Post> {
      return events.withWrites(async ({ client, writes }) => {
        const content = contentOf(input)
        await validate(content, client)
        const post = (await posts.insert(content, 'draft', ctx.actor, client))!
        audit(writes, ctx, 'post.created', null, post)
        return post
      })
    },

    /** Drafts a post nobody wrote by hand (an announcement); replays of its cause change nothing. */
    async createSubmitted(
      content: PostContent,
      causedByEventId: string,
      ctx: WriteContext,
      { client, writes }: WriteTransaction,
    ): Promise<Post | null> {
      const post = await posts.insert(content, 'submitted', ctx.actor, client, causedByEventId)
      if (!post) return null
      audit(writes, ctx, 'post.submitted', null, post)
      await lifecycle.emit({ client, writes }, 'social.post.submitted', post, ctx)
      return post
    },

    /**
     * Any change of content sends an approved post back to draft: what was approved is no longer what would go out.
     * A submitted post stays submitted, and whoever changed its words joins its editors, who may not approve it.
     */
    async update(id: string, input: Partial<PostInput> & { version?: number }, ctx: WriteContext): Promise<Post> {
      return transition(id, input.version, async (before, { client, writes }) => {
        if (!editable.includes(before.status)) refuse(before, 'edit', editable)
        const content = contentOf({ ...input, text: input.text ?? before.text }, before)
        await validate(content, client)
        await deliveries.cancelPending(id, client)
        const status: PostStatus = before.status === 'submitted' ? 'submitted' : 'draft'
        const after = await posts.updateContent(
          id,
          content,
          status,
          ctx.actor,
          words(content) !== words(before),
          client,
        )
        audit(writes, ctx, 'post.updated', before, after)
        return { post: after }
      })
    },

    async submit(id: string, version: number | undefined, ctx: WriteContext): Promise<Post> {
      return transition(id, version, async (before, { client, writes }) => {
        if (before.status !== 'draft') refuse(before, 'submit', ['draft'])
        if (before.channels.length === 0)
          throw invalidInput('channels', 'a post needs at least one channel before it is submitted')
        const after = await posts.setStatus(id, 'submitted', ctx.actor, client, { reviewNote: null })
        audit(writes, ctx, 'post.submitted', before, after)
        await lifecycle.emit({ client, writes }, 'social.post.submitted', after, ctx)
        return { post: after }
      })
    },

    /**
     * Four eyes: an editor or admin who neither wrote the post nor changed its words since it was last approved
     * approves the version they read; with a time set, it is scheduled at once.
     */
    async approve(id: string, version: number, ctx: WriteContext): Promise<Post> {
      return transition(id, version, async (before, { client, writes }) => {
        if (before.status !== 'submitted') refuse(before, 'approve', ['submitted'])
        if (before.author === ctx.actor)
          throw new errors.SelfApproval(`${ctx.actor} wrote this post; another editor or admin must approve it`)
        if (before.editedBy.includes(ctx.actor)) {
          throw new errors.SelfApproval(
            `${ctx.actor} changed this post's text, variants, thread, media or channels; ` +
              'another editor or admin must approve it',
          )
        }
        if (before.channels.length === 0)
          throw invalidInput('channels', 'a post needs at least one channel before it is approved')
        const approved = await posts.setStatus(id, 'approved', ctx.actor, client, { approvedBy: ctx.actor })
        audit(writes, ctx, 'post.approved', before, approved)
        await lifecycle.emit({ client, writes }, 'social.post.approved', approved, ctx)
        return scheduleDeliveries(approved, { client, writes }, ctx, before.scheduledAt)
      })
    },

    async reject(id: string, version: number | undefined, note: string, ctx: WriteContext): Promise<Post> {
      return transition(id, version, async (before, { client, writes }) => {
        if (before.status !== 'submitted') refuse(before, 'reject', ['submitted'])
        const after = await posts.setStatus(id, 'draft', ctx.actor, client, { reviewNote: note })
        audit(writes, ctx, 'post.rejected', before, after)
        return { post: after }
      })
    },

    async cancel(id: string, version: number | undefined, ctx: WriteContext): Promise<Post> {
      return transition(id, version, async (before, { client, writes }) => {
        if (!cancellable.includes(before.status)) refuse(before, 'cancel', cancellable)
        await deliveries.cancelPending(id, client)
        const after = await posts.setStatus(id, 'cancelled', ctx.actor, client)
        audit(writes, ctx, 'post.cancelled', before, after)
        await lifecycle.emit({ client, writes }, 'social.post.cancelled', after, ctx)
        return { post: after }
      })
    },

    async reschedule(
      id: string,
      input: { scheduledAt: string; timeZone?: string; version?: number },
      ctx: WriteContext,
    ): Promise<Post> {
      return transition(id, input.version, async (before, { client, writes }) => {
        if (!schedulable.includes(before.status)) refuse(before, 'reschedule', schedulable)
        if (input.timeZone && !isTimeZone(input.timeZone))
          throw invalidInput('body.timeZone', `${input.timeZone} is not an IANA time zone`)
        const moved = await posts.setStatus(id, before.status, ctx.actor, client, {
          scheduledAt: input.scheduledAt,
          timeZone: input.timeZone,
        })
        audit(writes, ctx, 'post.rescheduled', before, moved)
        const result = await scheduleDeliveries(moved, { client, writes }, ctx, input.scheduledAt)
        // A delivery claimed at its old time just before the post was locked cannot move: undo the whole reschedule.
        if ((await deliveries.statusesOf(id, client)).includes('publishing'))
          refuse({ ...before, status: 'publishing' }, 'reschedule', schedulable)
        return result
      })
    },

    async publishNow(id: string, version: number | undefined, ctx: WriteContext): Promise<Post> {
      return transition(id, version, async (before, { client, writes }) => {
        if (!schedulable.includes(before.status)) refuse(before, 'publish now', schedulable)
        const now = new Date().toISOString()
        audit(writes, ctx, 'post.publish_now', before, { ...before, scheduledAt: now })
        return scheduleDeliveries(before, { client, writes }, ctx, now)
      })
    },

    /** A person settles an unconfirmed delivery: it was published (give its URL), or it may be sent again. */
    async resolve(
      id: string,
      channelId: string,
      input: { outcome: 'published' | 'retry'; url?: string; remoteId?: string },
      ctx: WriteContext,
    ): Promise<Post> {
      return transition(id, undefined, async (post, { client, writes }) => {
        const before = await deliveries.get(id, channelId, client)
        if (!before) throw new errors.DeliveryNotFound(`Post ${id} has no delivery to channel ${channelId}`)
        if (before.status !== 'unconfirmed') {
          throw new errors.TransitionRefused(
            `Only an unconfirmed delivery can be resolved; this one is ${before.status}`,
          )
        }
        const published = input.outcome === 'published'
        const after = await deliveries.settle(
          before.id,
          {
            status: published ? 'published' : 'scheduled',
            error: published ? null : before.error,
            url: input.url ?? null,
            dueAt: published ? undefined : new Date(),
            published,
            remoteIds: published && input.remoteId ? [...before.remoteIds, input.remoteId] : undefined,
          },
          client,
        )
        writes.audit({
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          entityType: 'delivery',
          entityId: before.id,
          action: `delivery.resolved_${input.outcome}`,
          before: { status: before.status, url: before.url },
          after: { status: after!.status, url: after!.url },
        })
        await lifecycle.refresh(post, { client, writes }, ctx)
        return { post: (await posts.get(id, client))!, timers: published ? [] : [{ id: before.id, dueAt: new Date() }] }
      })
    },
  }
}

export type PostsService = ReturnType<typeof createPostsService>
