import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type pg from 'pg'
import type { Logger } from 'pino'
import type { Db } from '@ccm/db'
import type { Envelope } from '../envelope.ts'
import type { Producer } from '../kafka.ts'
import { readOutboxBatch } from './drain.ts'
import { HandedOver, type CommitHandoff } from './handoff.ts'
import { PublishedMarks } from './marks.ts'
import { sendToKafka, type Outgoing } from './publish.ts'
import { isAlive, openRelaySession } from './session.ts'
import { waitOrWake } from '../wait-or-wake.ts'

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
 * Where the relay learns what is unpublished (see docs/events.md for the diagram).
 * - `outbox only`: after a start or a failure nothing in memory is trusted; hand-overs are not kept
 *   (their rows are in the outbox), and the outbox is read batch after batch until a read comes back empty.
 * - `hand-over`: the outbox has been emptied once; what this process commits is published as it is handed
 *   over, and the outbox is read only when a read is due.
 */
export type RelayMode = 'outbox only' | 'hand-over'

const MAX_BACKOFF_MS = 10_000
const CLEANUP_EVERY_MS = 60 * 60 * 1000

/**
 * Publishes the outbox to Kafka, at least once: rows are marked published only after Kafka has
 * acknowledged them, so a crash or a broker outage means a retry, never a loss.
 *
 * Two paths. The hand-off (handoff.ts): events this process's own transactions commit are handed over
 * in memory after the commit and go out at once, in commit order, unless another writer's older rows
 * still wait (then they are read from the outbox behind those). The drain (drain.ts): everything else
 * (other writers, what a crash or an outage left behind) is read from the outbox in id order: on
 * another writer's notification, on a poll, and first of all after a start or a failure, until the
 * outbox has nothing left. Until then hand-overs wait, so an aggregate's events stay in order.
 */
export class OutboxRelay implements CommitHandoff {
  readonly writerId = randomUUID()
  private session: pg.Client | null = null
  private running = false
  private loop: Promise<void> | null = null
  private readonly pause = waitOrWake()
  private mode: RelayMode = 'outbox only'
  /** In `hand-over` mode, a read of the outbox is due: another writer notified, the poll came, a batch was full. */
  private outboxReadDue = true
  private readonly handedOver = new HandedOver()
  private readonly marks = new PublishedMarks(() => this.session)
  private failures = 0
  private lastCleanup = 0
  private readonly batchSize: number

  constructor(private readonly options: RelayOptions) {
    // kafkajs encodes a batch in one piece, holding the event loop meanwhile: with 200 events, a 100,000-row
    // import's events go out with the loop held at most a few tens of ms at a time (500 held it up to ~150 ms).
    this.batchSize = options.batchSize ?? 200
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
    this.pause.wake()
    await this.loop
    if (this.session) {
      const last = async () => {
        if (this.mode === 'hand-over') await this.publishHandedOver()
        await this.drainBatch()
        this.marks.send()
        await this.marks.settle()
      }
      await Promise.race([last().catch(() => 0), sleep(flushTimeoutMs)])
      this.marks.stop()
      await this.session.end().catch(() => {})
      this.session = null
    }
  }

  /** The hand-off's entry: a transaction of this process committed these events. */
  committed(envelopes: Envelope[], otherWritersAhead = false): void {
    if (!this.session || envelopes.length === 0) return // no lock held: whoever holds it reads them from the outbox
    // Read from the outbox, behind what is older: in `outbox only` mode, or when another writer's rows
    // wait before them (their notification may not have arrived yet).
    if (this.mode === 'outbox only' || otherWritersAhead) this.outboxReadDue = true
    else this.handedOver.push(envelopes)
    this.pause.wake()
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!this.session) await this.connect()
        if (!this.session) {
          await this.pause.wait(this.options.pollMs) // another instance holds the lock
          continue
        }
        await this.step()
        this.failures = 0
        await this.cleanup()
      } catch (error) {
        await this.recover(error)
      }
    }
  }

  /** One turn of the loop: the drain comes first when due, then the hand-over, else a wait. */
  private async step(): Promise<void> {
    if (this.mode === 'outbox only' || this.outboxReadDue) {
      this.outboxReadDue = false
      const published = await this.drainBatch()
      if (published === 0) this.mode = 'hand-over'
      if (published === this.batchSize) this.outboxReadDue = true
    } else if (this.handedOver.size > 0) {
      await this.publishHandedOver()
    } else if (!(await this.pause.wait(this.options.pollMs))) {
      this.outboxReadDue = true // the poll: a notification nobody heard is not lost
    }
  }

  /** After a failure: back to `outbox only`, a new session if this one died, and a growing wait. */
  private async recover(error: unknown): Promise<void> {
    this.failures += 1
    // What was handed over is in the outbox too: it goes out from there, in order, after what failed.
    this.handedOver.clear()
    this.mode = 'outbox only'
    const backoff = Math.min(this.options.pollMs * 2 ** (this.failures - 1), MAX_BACKOFF_MS)
    this.options.logger.warn(
      { err: error, attempt: this.failures, retryInMs: backoff },
      'outbox relay could not publish; will retry',
    )
    if (this.session && !(await isAlive(this.session))) {
      await this.session.end().catch(() => {})
      this.session = null
    }
    await this.pause.wait(backoff)
  }

  private async connect(): Promise<void> {
    const session = await openRelaySession({
      connectionString: this.options.connectionString,
      logger: this.options.logger,
      onCommitNotified: (writerId) => {
        if (writerId === this.writerId) return // this process's commit: its events are handed over
        this.outboxReadDue = true // another writer's: read the outbox now instead of at the next poll
        this.pause.wake()
      },
    })
    if (!session) return
    this.marks.forgetSent() // sent on a session that is gone: their rows are read again
    this.mode = 'outbox only'
    this.session = session
  }

  private async publishHandedOver(): Promise<void> {
    await this.publish(this.handedOver.take(this.batchSize))
  }

  /** Publishes one batch read from the outbox; returns how many rows it read. */
  private async drainBatch(): Promise<number> {
    const rows = await readOutboxBatch(this.session!, this.marks, this.batchSize)
    await this.publish(rows)
    return rows.length
  }

  /** Sends to Kafka; once acknowledged, the events are marked published a little later, with others. */
  private async publish(outgoing: Outgoing[]): Promise<void> {
    if (outgoing.length === 0) return
    await sendToKafka(this.options.producer, this.options.topicPrefix, outgoing)
    const ids = outgoing.map((o) => o.eventId)
    this.handedOver.remember(ids)
    this.marks.add(ids)
    this.options.logger.debug({ count: outgoing.length }, 'outbox published')
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < CLEANUP_EVERY_MS) return
    this.lastCleanup = Date.now()
    await this.options.db.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(days => $1)`, [
      this.options.retentionDays ?? 7,
    ])
  }
}
