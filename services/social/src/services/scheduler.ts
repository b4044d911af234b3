import { randomInt } from 'node:crypto'
import { waitOrWake, type Events } from '@ccm/events'
import type { Logger } from 'pino'
import type { DeliveriesRepository, Delivery } from '../repositories/deliveries.ts'
import type { InstanceLock, InstanceLocksRepository } from '../repositories/instance-locks.ts'
import type { PostsRepository } from '../repositories/posts.ts'
import { SCHEDULER, type PostLifecycle } from './lifecycle.ts'
import type { Publisher } from './publisher.ts'
import type { Timer, TimerIndex } from './timers.ts'

/** The longest the loop sleeps without looking, so a timer added by another instance is seen promptly. */
const MAX_IDLE_MS = 1000
/** A due delivery the index has not handed out after this long is taken from Postgres directly. */
const SWEEP_GRACE_MS = 2000

export interface SchedulerOptions {
  events: Pick<Events, 'withWrites'>
  locks: InstanceLocksRepository
  timers: TimerIndex
  deliveries: DeliveriesRepository
  posts: PostsRepository
  lifecycle: PostLifecycle
  publisher: Publisher
  log: Logger
  concurrency: number
  sweepMs: number
  missedAfterMinutes: number
}

/**
 * Wakes when a delivery is due (Redis timer index), claims it in Postgres with one atomic update and
 * publishes it. Several instances can run side by side: each holds an advisory lock while alive, so a
 * claim left `publishing` by a dead one is recognised and settled as `unconfirmed`, never re-sent.
 */
export function createScheduler(options: SchedulerOptions) {
  const { events, locks, timers, deliveries, posts, lifecycle, publisher, log } = options
  const instanceKey = randomInt(1, 2 ** 31 - 1)
  let lock: InstanceLock | null = null
  let running = false
  let loop: Promise<void> | null = null
  let sweeper: NodeJS.Timeout | null = null
  let sweeping: Promise<void> = Promise.resolve()
  const { wait: sleep, wake: nudge } = waitOrWake()
  const inFlight = new Set<Promise<void>>()

  async function settleAs(list: Delivery[], status: 'unconfirmed' | 'missed', reason: string): Promise<void> {
    for (const delivery of list) {
      await events.withWrites(async ({ client, writes }) => {
        const post = await posts.getForUpdate(delivery.postId, client)
        const current = await deliveries.getForUpdate(delivery.id, client)
        const from = status === 'unconfirmed' ? 'publishing' : 'scheduled'
        if (!post || current?.status !== from) return
        await deliveries.settle(delivery.id, { status, error: reason }, client)
        writes.audit({
          actor: SCHEDULER.actor,
          correlationId: SCHEDULER.correlationId,
          entityType: 'delivery',
          entityId: delivery.id,
          action: `delivery.${status}`,
          before: { status: from },
          after: { status, error: reason },
        })
        await lifecycle.refresh(post, { client, writes })
      })
      log.warn(
        { deliveryId: delivery.id, postId: delivery.postId, channelId: delivery.channelId, reason },
        `delivery ${status}`,
      )
    }
  }

  /** Claims left by dead instances, and deliveries too late to go out without a person's say. */
  async function recover(): Promise<void> {
    const live = await locks.liveKeys()
    if (!live.includes(instanceKey)) log.warn('this scheduler instance holds no liveness lock; re-acquiring')
    await settleAs(
      await deliveries.orphaned(live),
      'unconfirmed',
      'the service stopped while publishing: the platform may or may not have the post; ' +
        'check the account, then resolve',
    )
    await settleAs(
      await deliveries.overdueBeyond(options.missedAfterMinutes),
      'missed',
      `not published within ${options.missedAfterMinutes} minutes of its time; reschedule or cancel it`,
    )
  }

  async function rebuild(): Promise<void> {
    const all = await deliveries.timers()
    await timers.rebuild(all)
    log.info({ timers: all.length }, 'timer index rebuilt from Postgres')
  }

  function freeSlots(): number {
    return options.concurrency - inFlight.size
  }

  async function claimAndPublish(ids: string[]): Promise<Delivery[]> {
    if (ids.length === 0) return []
    const claimed = await deliveries.claim(ids, instanceKey)
    if (claimed.length === 0) return []
    await posts.markPublishing([...new Set(claimed.map((d) => d.postId))])
    for (const delivery of claimed) {
      const task: Promise<void> = publisher
        .publish(delivery, instanceKey)
        .catch((error) =>
          log.error({ err: error, deliveryId: delivery.id }, 'settling a delivery failed; the sweep will find it'),
        )
        .finally(() => {
          inFlight.delete(task)
          nudge()
        })
      inFlight.add(task)
    }
    return claimed
  }

  /** One pass over the index: claim what is due; returns when to look again. */
  async function tick(): Promise<number> {
    const slots = freeSlots()
    if (slots <= 0) return MAX_IDLE_MS
    const now = Date.now()
    // Look at more than can be taken and start at a random place among them, so instances side by side
    // mostly reach for different deliveries instead of all for the earliest.
    const { intact, due: seen, nextAt } = await timers.peek(now, slots * 3)
    const offset = seen.length > slots ? randomInt(0, seen.length - slots + 1) : 0
    const due = seen.slice(offset, offset + slots)
    if (!intact) {
      log.warn('timer index missing (Redis restarted or flushed); rebuilding from Postgres')
      await rebuild()
      return 0
    }
    if (due.length) {
      const claimed = new Set((await claimAndPublish(due)).map((d) => d.id))
      await timers.remove(due)
      const unclaimed = due.filter((id) => !claimed.has(id))
      // Still scheduled but not claimable now (due later after a reschedule, or taken by nobody): put back.
      if (unclaimed.length)
        await timers.add((await deliveries.timers(unclaimed)).filter((t) => t.dueAt.getTime() > now))
      return 0
    }
    return nextAt === null ? MAX_IDLE_MS : Math.min(nextAt - Date.now(), MAX_IDLE_MS)
  }

  async function run(): Promise<void> {
    while (running) {
      let wait: number
      try {
        wait = await tick()
      } catch (error) {
        log.warn({ err: error }, 'scheduler pass failed; Postgres sweeps continue')
        wait = MAX_IDLE_MS
      }
      if (running && wait > 0) await sleep(wait)
    }
  }

  async function sweep(): Promise<void> {
    try {
      lock ??= await locks.hold(instanceKey, log)
      await recover()
      const slots = freeSlots()
      if (slots > 0) {
        const claimed = await claimAndPublish(await deliveries.overdueIds(SWEEP_GRACE_MS, slots))
        if (claimed.length)
          log.warn({ count: claimed.length }, 'due deliveries found in Postgres but not in the timer index')
      }
    } catch (error) {
      if (lock && !(await lock.held())) {
        await lock.release()
        lock = null
      }
      log.warn({ err: error }, 'scheduler sweep failed; will retry')
    }
  }

  return {
    instanceKey,

    async start(): Promise<void> {
      if (running) return
      lock = await locks.hold(instanceKey, log)
      await recover()
      await rebuild().catch((error) =>
        log.warn({ err: error }, 'timer index could not be rebuilt; sweeping Postgres instead'),
      )
      running = true
      loop = run()
      sweeper = setInterval(() => {
        sweeping = sweeping.then(sweep)
      }, options.sweepMs)
    },

    /** Deliveries newly due at these times: indexed now, and the loop looks again at once. */
    async schedule(list: Timer[]): Promise<void> {
      try {
        await timers.add(list)
      } catch (error) {
        log.warn({ err: error }, 'timer index unavailable; the Postgres sweep will pick these up')
      }
      nudge()
    },

    /** Stops claiming, then waits for the calls under way to settle (bounded by the publish timeout). */
    async stop(): Promise<void> {
      if (!running) return
      running = false
      if (sweeper) clearInterval(sweeper)
      nudge()
      await loop
      await sweeping
      await Promise.allSettled([...inFlight])
      await lock?.release()
      lock = null
    },
  }
}

export type Scheduler = ReturnType<typeof createScheduler>
