import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import type { Logger } from 'pino'
import { coalesceWrites, type Db } from '@ccm/db'
import { topicOf } from './catalogue/index.ts'
import type { Envelope } from './envelope.ts'
import type { Producer } from './kafka.ts'
import { OUTBOX_CHANNEL } from './outbox.ts'

export interface RelayOptions {
  db: Db
  /** A separate connection string: the relay holds one session for its advisory lock and LISTEN. */
  connectionString: string
  producer: Producer
  topicPrefix: string
  logger: Logger
  pollMs: number
  batchSize?: number
  /** Published rows older than this are deleted. */
  retentionDays?: number
}

/**
 * Where a transaction that stored events hands them over once it has committed, so they are published
 * without being read back; `origin` is what its outbox notification carries, so the relay knows to wait
 * for the hand-over instead of reading the outbox.
 */
export interface CommitHandoff {
  readonly origin: string
  /** `behindOthers`: rows of other writers, committed before, wait in the outbox; these go out after them. */
  committed(envelopes: Envelope[], behindOthers?: boolean): void
}

/** An outbox row on its way to Kafka. */
interface Outgoing {
  eventId: string
  topic: string
  key: string
  envelope: Envelope | Record<string, unknown>
}

// One relay per database at a time, or per-aggregate order could break between two instances.
const RELAY_LOCK_KEY = 0x0cc_0ae1
const MAX_BACKOFF_MS = 10_000
const CLEANUP_EVERY_MS = 60 * 60 * 1000
/** Event ids published lately, so an event read from the outbox before its hand-over goes out once. */
const RECENT_IDS = 10_000
/**
 * Published marks are gathered this long and sent as one UPDATE: a mark per publish cost the database
 * as much as the write that stored the event. Those waiting are also sent on stop, and ahead of every
 * read of the outbox (after a failure too), which therefore never returns a row already published.
 */
const MARK_EVERY_MS = 200

/**
 * Publishes the outbox to Kafka, at least once: rows are marked published only after Kafka has
 * acknowledged them, so a crash or a broker outage means a retry, never a loss.
 *
 * Events this instance's own transactions commit are handed over in memory after the commit and go
 * out at once, in commit order, unless another writer's older rows still wait (then they are read from
 * the outbox behind those). Everything else (other writers, what a crash or an outage left behind)
 * is read from the outbox in id order: on another writer's notification, on a poll, and first of all
 * after a start or a failure, until the outbox has nothing left. Until then hand-overs wait, so an
 * aggregate's events stay in order. Events of one aggregate come from transactions that lock its row in
 * turn, so their commit order and their id order agree.
 */
export class OutboxRelay implements CommitHandoff {
  readonly origin = randomUUID()
  private session: pg.Client | null = null
  private running = false
  private loop: Promise<void> | null = null
  private wake: (() => void) | null = null
  /** Committed events handed over, in commit order, waiting to be published. */
  private handed: Envelope[] = []
  /** The outbox may hold rows to publish: another writer notified, a poll is due, or a batch was full. */
  private outboxDirty = true
  /** After a start or a failure: the outbox is drained before any hand-over goes out. */
  private catchingUp = true
  private readonly recent = new Set<string>()
  private failures = 0
  private lastCleanup = 0
  /** Published, not marked yet: sent together by sendMarks. */
  private unmarked: string[] = []
  private markTimer: NodeJS.Timeout | undefined
  /** Published marks sent but not awaited: a failed one is reported by the next drain. */
  private marking: Promise<unknown> = Promise.resolve()
  private readonly batchSize: number

  constructor(private readonly options: RelayOptions) {
    this.batchSize = options.batchSize ?? 500
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  /** Stops after one last attempt to publish what is pending (bounded by `flushTimeoutMs`). */
  async stop(flushTimeoutMs = 5000): Promise<void> {
    if (!this.running) return
    this.running = false
    this.wake?.()
    await this.loop
    if (this.session) {
      const last = async () => {
        if (!this.catchingUp) await this.publishHanded()
        await this.drain()
        this.sendMarks()
        await this.marking
      }
      await Promise.race([last().catch(() => 0), sleep(flushTimeoutMs)])
      clearTimeout(this.markTimer)
      await this.session.end().catch(() => {})
      this.session = null
    }
  }

  /** Another writer stored events: the outbox is read now instead of at the next poll. */
  private nudge(): void {
    this.outboxDirty = true
    this.wake?.()
  }

  committed(envelopes: Envelope[], behindOthers = false): void {
    if (!this.session || envelopes.length === 0) return // no lock held: whoever holds it reads them from the outbox
    // Read from the outbox, behind what is older: after a start or a failure, or when another writer's
    // rows wait before them (their notification may not have arrived yet).
    if (this.catchingUp || behindOthers) this.outboxDirty = true
    else this.handed.push(...envelopes)
    this.wake?.()
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!this.session) await this.connect()
        if (!this.session) {
          await this.idle(this.options.pollMs) // another instance holds the lock
          continue
        }
        if (this.outboxDirty || this.catchingUp) {
          this.outboxDirty = false
          const published = await this.drain()
          if (published === 0) this.catchingUp = false
          if (published === this.batchSize) this.outboxDirty = true
        } else if (this.handed.length > 0) {
          await this.publishHanded()
        } else if (!(await this.idle(this.options.pollMs))) {
          this.outboxDirty = true // the poll: a notification nobody heard is not lost
        }
        this.failures = 0
        await this.cleanup()
      } catch (error) {
        this.failures += 1
        // What was handed over is in the outbox too: it goes out from there, in order, after what failed.
        this.handed = []
        this.catchingUp = true
        const backoff = Math.min(this.options.pollMs * 2 ** (this.failures - 1), MAX_BACKOFF_MS)
        this.options.logger.warn({ err: error, attempt: this.failures, retryInMs: backoff }, 'outbox relay could not publish; will retry')
        if (this.session && !(await this.sessionAlive())) {
          await this.session.end().catch(() => {})
          this.session = null
        }
        await this.idle(backoff)
      }
    }
  }

  private async connect(): Promise<void> {
    // Pipelined, so a batch's published marks and the next SELECT share a round trip.
    const session = new pg.Client({ connectionString: this.options.connectionString, application_name: 'outbox-relay', pipeline: true })
    session.on('error', (error) => this.options.logger.warn({ err: error }, 'outbox relay session error'))
    await session.connect()
    coalesceWrites(session)
    const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_KEY])
    if (!rows[0]?.locked) {
      await session.end()
      return
    }
    session.on('notification', ({ payload }) => {
      if (payload === this.origin) return // our own commit: its events are handed over
      this.nudge()
    })
    this.marking = Promise.resolve()
    this.catchingUp = true
    await session.query(`LISTEN ${OUTBOX_CHANNEL}`)
    // The published marks need not wait for the disk: one lost in a crash means the rows go out
    // again, and consumers are idempotent. The relay's loop then never waits on a WAL flush.
    await session.query('SET synchronous_commit = off')
    this.session = session
  }

  private async sessionAlive(): Promise<boolean> {
    try {
      await this.session?.query('SELECT 1')
      return true
    } catch {
      return false
    }
  }

  /** Waits `ms` or until woken; says whether it was woken. */
  private idle(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), ms)
      const done = (woken: boolean) => {
        clearTimeout(timer)
        this.wake = null
        resolve(woken)
      }
      this.wake = () => done(true)
    })
  }

  /** Publishes up to a batch of the handed-over events not published yet; returns how many it published. */
  private async publishHanded(): Promise<number> {
    const envelopes = this.handed.splice(0, this.batchSize).filter((e) => !this.recent.has(e.id))
    await this.publish(envelopes.map((e) => ({ eventId: e.id, topic: topicOf(e.type), key: e.subject, envelope: e })))
    return envelopes.length
  }

  /**
   * Publishes one batch read from the outbox in id order; returns how many rows it published. It runs
   * on the relay's own session, not the pool: it never queues behind the requests, and the advisory
   * lock that session holds already makes it the only relay, so no transaction or row lock is needed
   * (if the session dies, the lock goes with it and this drain cannot go on).
   */
  private async drain(): Promise<number> {
    this.sendMarks() // ahead of the SELECT on the same session, so it does not read what is published
    const selected = this.session!.query<{ event_id: string; aggregate_id: string; topic: string; envelope: Record<string, unknown> }>(
      `SELECT event_id, aggregate_id, topic, envelope FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1`,
      [this.batchSize],
    )
    selected.catch(() => {}) // awaited below, once the marks before it are
    const marked = this.marking
    this.marking = Promise.resolve()
    await marked // a failed mark is reported here; its rows are in this SELECT again
    const { rows } = await selected
    await this.publish(rows.map((r) => ({ eventId: r.event_id, topic: r.topic, key: r.aggregate_id, envelope: r.envelope })))
    return rows.length
  }

  /**
   * Sends the rows to Kafka, in order within each topic (so per key); they are marked published a
   * little later, with others (see MARK_EVERY_MS).
   */
  private async publish(outgoing: Outgoing[]): Promise<void> {
    if (outgoing.length === 0) return
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>()
    for (const { topic: logical, key, envelope } of outgoing) {
      const topic = this.options.topicPrefix + logical
      const messages = byTopic.get(topic) ?? []
      messages.push({
        key,
        value: JSON.stringify(envelope),
        headers: { ce_id: String(envelope.id), ce_type: String(envelope.type), correlationid: String(envelope.correlationid) },
      })
      byTopic.set(topic, messages)
    }
    await this.options.producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) })
    const ids = outgoing.map((o) => o.eventId)
    this.remember(ids)
    this.unmarked.push(...ids)
    this.markTimer ??= setTimeout(() => this.sendMarks(), MARK_EVERY_MS)
    this.options.logger.debug({ count: outgoing.length }, 'outbox published')
  }

  /**
   * Marks what is published, without waiting: whatever goes next on the session runs behind it. A mark
   * that fails is reported by the next drain, and its rows go out again (consumers skip what they
   * have applied).
   */
  private sendMarks(): void {
    clearTimeout(this.markTimer)
    this.markTimer = undefined
    if (this.unmarked.length === 0 || !this.session) return
    const mark = this.session.query({
      name: 'outbox-mark-published',
      text: 'UPDATE outbox SET published_at = now() WHERE event_id = ANY($1::uuid[])',
      values: [this.unmarked.splice(0)],
    })
    mark.catch(() => {}) // reported through this.marking
    this.marking = this.marking.then(() => mark)
    this.marking.catch(() => {}) // awaited by the next drain
  }

  private remember(ids: string[]): void {
    for (const id of ids) this.recent.add(id)
    for (const id of this.recent) {
      if (this.recent.size <= RECENT_IDS) break
      this.recent.delete(id)
    }
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < CLEANUP_EVERY_MS) return
    this.lastCleanup = Date.now()
    await this.options.db.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(days => $1)`, [this.options.retentionDays ?? 7])
  }
}
