import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import type { Logger } from 'pino'
import type { Db } from '@ccm/db'
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

// One relay per database at a time, or per-aggregate order could break between two instances.
const RELAY_LOCK_KEY = 0x0cc_0ae1
const MAX_BACKOFF_MS = 10_000
const CLEANUP_EVERY_MS = 60 * 60 * 1000

/**
 * Publishes the outbox in id order, at least once: rows are marked published only after Kafka has
 * acknowledged them, so a crash or a broker outage means a retry, never a loss.
 */
export class OutboxRelay {
  private session: pg.Client | null = null
  private running = false
  private loop: Promise<void> | null = null
  private wake: (() => void) | null = null
  /** A notification arrived while the relay was busy: the next idle must not wait for another one. */
  private notified = false
  private failures = 0
  private lastCleanup = 0
  /** The last batch's published marks, sent but not awaited: the next drain's SELECT goes out right behind them. */
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
      await Promise.race([this.drain().then(() => this.marking).catch(() => 0), sleep(flushTimeoutMs)])
      await this.session.end().catch(() => {})
      this.session = null
    }
  }

  /** Wakes the relay now instead of at its next poll. */
  nudge(): void {
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
        this.notified = false
        const published = await this.drain()
        this.failures = 0
        await this.cleanup()
        if (published < this.batchSize && !this.notified) await this.idle(this.options.pollMs)
      } catch (error) {
        this.failures += 1
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
    // Pipelined, so a batch's published marks and the next batch's SELECT share a round trip.
    const session = new pg.Client({ connectionString: this.options.connectionString, application_name: 'outbox-relay', pipeline: true })
    session.on('error', (error) => this.options.logger.warn({ err: error }, 'outbox relay session error'))
    await session.connect()
    const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_KEY])
    if (!rows[0]?.locked) {
      await session.end()
      return
    }
    session.on('notification', () => {
      this.notified = true
      this.wake?.()
    })
    this.marking = Promise.resolve()
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

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.wake = () => {
        this.wake = null
        done()
      }
    })
  }

  /**
   * Publishes one batch in id order; returns how many rows it published. It runs on the relay's own
   * session, not the pool: it never queues behind the requests, and the advisory lock that session
   * holds already makes it the only relay, so no transaction or row lock is needed (if the session
   * dies, the lock goes with it and this drain cannot go on). The rows are marked published without
   * waiting: the next SELECT, behind the marks on the same session, sees them. A mark that failed is
   * reported by the next drain, and its rows go out again (consumers skip what they have applied).
   */
  private async drain(): Promise<number> {
    const session = this.session!
    const selected = session.query<{ id: number; aggregate_id: string; topic: string; envelope: Record<string, string> }>(
      `SELECT id, aggregate_id, topic, envelope FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1`,
      [this.batchSize],
    )
    selected.catch(() => {}) // awaited below, once the marks before it are
    const marked = this.marking
    this.marking = Promise.resolve()
    await marked
    const { rows } = await selected
    if (rows.length === 0) return 0
    // One topic entry per topic, messages in id order within it: order per key is kept.
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>()
    for (const row of rows) {
      const topic = this.options.topicPrefix + row.topic
      const messages = byTopic.get(topic) ?? []
      messages.push({
        key: row.aggregate_id,
        value: JSON.stringify(row.envelope),
        headers: { ce_id: String(row.envelope.id), ce_type: String(row.envelope.type), correlationid: String(row.envelope.correlationid) },
      })
      byTopic.set(topic, messages)
    }
    await this.options.producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) })
    this.marking = session.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1)', [rows.map((r) => r.id)])
    this.marking.catch(() => {}) // awaited by the next drain
    this.options.logger.debug({ count: rows.length }, 'outbox published')
    return rows.length
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < CLEANUP_EVERY_MS) return
    this.lastCleanup = Date.now()
    await this.options.db.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(days => $1)`, [this.options.retentionDays ?? 7])
  }
}
