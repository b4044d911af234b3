import type { Events } from '@ccm/events'
import type { Logger } from 'pino'
import type { FacebookClient, FacebookCredentials } from '../platforms/facebook.ts'
import { PlatformFailure, type PublishResult } from '../platforms/outcome.ts'
import type { XClient, XCredentials } from '../platforms/x.ts'
import type { ChannelsRepository } from '../repositories/channels.ts'
import type { ClaimedDelivery, DeliveriesRepository, Delivery, DeliveryStatus } from '../repositories/deliveries.ts'
import type { MediaRepository } from '../repositories/media.ts'
import type { PostsRepository } from '../repositories/posts.ts'
import type { ChannelsService } from './channels.ts'
import { SCHEDULER, type PostLifecycle } from './lifecycle.ts'
import type { Timer } from './timers.ts'
import { textFor } from './validation.ts'

/** Attempts at a delivery whose calls never reached the platform, before a person is asked. */
const MAX_REFUSED_ATTEMPTS = 5

export interface PublisherDeps {
  events: Pick<Events, 'withWrites'>
  posts: PostsRepository
  deliveries: DeliveriesRepository
  channels: ChannelsRepository
  media: MediaRepository
  channelsService: ChannelsService
  lifecycle: PostLifecycle
  x: XClient
  facebook: FacebookClient
  log: Logger
  /** Called after commit with deliveries that are due again (a rate-limit reset, a retry). */
  reschedule(timers: Timer[]): Promise<void>
}

/**
 * Publishes one claimed delivery and settles it. The claim has already recorded the attempt; each
 * remote id is stored the moment it returns; an outcome that cannot be known becomes `unconfirmed`.
 */
export function createPublisher(deps: PublisherDeps) {
  const { events, posts, deliveries, channels, media, lifecycle, log } = deps

  /**
   * Credentials no key at hand opens (a key dropped before its rotation) wait for new ones, as rejected credentials do.
   */
  function credentialsOf<T extends XCredentials | FacebookCredentials>(delivery: ClaimedDelivery): T {
    try {
      return deps.channelsService.open<T>(delivery.channelId, delivery.sealedCredentials)
    } catch (error) {
      throw new PlatformFailure(
        'auth',
        `the channel's credentials cannot be decrypted (${(error as Error).message}); ` +
          `restore that key and run npm run rotate-credentials, or give the channel new credentials`,
      )
    }
  }

  async function call(delivery: ClaimedDelivery, instanceKey: number): Promise<PublishResult> {
    const post = delivery.content
    const images = await media.contents(post.media)
    const texts =
      delivery.platform === 'x'
        ? [textFor(post, delivery.channelId), ...post.thread]
        : [textFor(post, delivery.channelId)]
    const request = {
      texts,
      media: images,
      alreadyPosted: delivery.remoteIds,
      // Each id of a thread is stored before the next post is sent; the last one is stored by the
      // settling transaction that follows at once.
      onPosted: async (remoteId: string, index: number) => {
        if (index < texts.length - 1) await deliveries.recordRemoteId(delivery.id, remoteId, instanceKey)
      },
    }
    if (delivery.platform === 'x') {
      const credentials = await deps.channelsService.freshXCredentials(
        delivery.channelId,
        credentialsOf<XCredentials>(delivery),
      )
      return deps.x.publish(credentials, request)
    }
    return deps.facebook.publish(credentialsOf<FacebookCredentials>(delivery), request)
  }

  /**
   * What a failure does to the delivery: wait and retry, wait for re-authorisation, or stop for a person.
   * The wait is a stored due time, not p-retry's in-process loop: a retry outlives a restart.
   */
  function nextStep(delivery: Delivery, failure: PlatformFailure): { status: DeliveryStatus; dueAt?: Date } {
    switch (failure.kind) {
      case 'rate_limited':
        return { status: 'scheduled', dueAt: failure.retryAt ?? new Date(Date.now() + 60_000) }
      case 'auth':
        return { status: 'scheduled' }
      case 'refused':
        return delivery.attempts < MAX_REFUSED_ATTEMPTS
          ? { status: 'scheduled', dueAt: new Date(Date.now() + Math.min(1000 * 2 ** delivery.attempts, 300_000)) }
          : { status: 'failed' }
      case 'unknown':
        return { status: 'unconfirmed' }
      default:
        return { status: 'failed' }
    }
  }

  async function settle(
    delivery: Delivery,
    outcome: { result?: PublishResult; failure?: PlatformFailure },
  ): Promise<Timer[]> {
    return events.withWrites(async ({ client, writes }) => {
      const post = await posts.getForUpdate(delivery.postId, client)
      if (!post) return []
      // The claimed row as this attempt began: its status, attempts and the ids of earlier attempts.
      const current = delivery
      const step = outcome.result ? { status: 'published' as const } : nextStep(current, outcome.failure!)
      const settled = await deliveries.settle(
        delivery.id,
        {
          status: step.status,
          error: outcome.failure?.reason ?? null,
          url: outcome.result?.url ?? null,
          dueAt: 'dueAt' in step ? step.dueAt : undefined,
          published: step.status === 'published',
          remoteIds: outcome.result?.remoteIds,
        },
        client,
      )
      writes.audit({
        actor: SCHEDULER.actor,
        correlationId: SCHEDULER.correlationId,
        entityType: 'delivery',
        entityId: delivery.id,
        action: `delivery.${step.status}`,
        before: { status: current.status, remoteIds: current.remoteIds, error: current.error },
        after: { status: settled!.status, remoteIds: settled!.remoteIds, error: settled!.error, url: settled!.url },
      })
      if (outcome.failure?.kind === 'auth') {
        const channel = await channels.markNeedsReauth(delivery.channelId, outcome.failure.reason, client)
        if (channel) {
          writes.audit({
            actor: SCHEDULER.actor,
            correlationId: SCHEDULER.correlationId,
            entityType: 'channel',
            entityId: channel.id,
            action: 'channel.needs_reauth',
            before: { status: 'active' },
            after: { status: 'needs_reauth' },
          })
        }
      }
      await lifecycle.refresh(post, { client, writes })
      return step.status === 'scheduled' && outcome.failure?.kind !== 'auth'
        ? [{ id: delivery.id, dueAt: settled!.dueAt ? new Date(settled!.dueAt) : new Date() }]
        : []
    })
  }

  return {
    async publish(delivery: ClaimedDelivery, instanceKey: number): Promise<void> {
      const started = Date.now()
      let outcome: { result?: PublishResult; failure?: PlatformFailure }
      try {
        outcome = { result: await call(delivery, instanceKey) }
      } catch (error) {
        // Anything unexpected after the claim (a database error storing an id, say) leaves the outcome unknown.
        const failure =
          error instanceof PlatformFailure
            ? error
            : new PlatformFailure(
                'unknown',
                `publishing stopped unexpectedly: ${(error as Error)?.message ?? String(error)}`,
              )
        outcome = { failure }
      }
      const facts = {
        deliveryId: delivery.id,
        postId: delivery.postId,
        channelId: delivery.channelId,
        platform: delivery.platform,
        attempt: delivery.attempts,
        ms: Date.now() - started,
      }
      if (outcome.result) log.info({ ...facts, remoteIds: outcome.result.remoteIds }, 'delivery published')
      else
        log.warn(
          {
            ...facts,
            failure: outcome.failure!.kind,
            reason: outcome.failure!.reason,
            retryAt: outcome.failure!.retryAt,
          },
          'delivery not published',
        )
      const again = await settle(delivery, outcome)
      if (again.length) await deps.reschedule(again)
    },
  }
}

export type Publisher = ReturnType<typeof createPublisher>
