import { setTimeout as sleep } from 'node:timers/promises'
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs'
import type { Logger } from 'pino'
import type { Db } from '@ccm/db'
import { sourceOf } from '../envelope.ts'
import type { Kafka, Producer } from '../kafka.ts'
import type { CommitHandoff } from '../relay/handoff.ts'
import { applyOnce } from './apply.ts'
import { deadLetterSender, type DeadLetter } from './dead-letter.ts'
import type { EventHandlers } from './handlers.ts'
import { AppliedOffsets } from './offsets.ts'
import { parseChunk } from './parse.ts'
import { PausedPartitions, RetryLater, type Backoff } from './retry.ts'
import { Turns } from './turns.ts'

export interface ConsumerOptions {
  kafka: Kafka
  db: Db
  /** Also the key of this consumer's processed-events rows. */
  groupId: string
  /** The `source` of the events the handlers emit (`/ccm/<service>`; the plugin sets it). Default the group's. */
  source?: string
  /** Logical names (`contacts.events`); the prefix is added here. */
  topics: string[]
  topicPrefix: string
  handlers: EventHandlers
  deadLetterProducer: Producer
  logger: Logger
  /**
   * The wait before a partition whose events failed for a passing reason is tried again: doubles from `initialMs` up to
   * `maxMs`.
   */
  retryBackoff?: Backoff
  /**
   * Partitions fetched at once (kafkajs); what they bring is applied together, one transaction at a
   * time, and order within a partition, hence per key, is kept. Default 1.
   */
  partitionsConsumedConcurrently?: number
  /** Most events of one partition taken into one transaction. Default 100. */
  maxBatchSize?: number
  /** How often applied offsets are committed to Kafka. Default 1000. */
  commitIntervalMs?: number
  /** The service's relay: the events the handlers emit are handed to it once their transaction commits. */
  handoff?: CommitHandoff
}

/**
 * An idempotent consumer: each event is applied at most once per group (a processed-events row is
 * written in the handler's transaction). Events are applied in batches, a transaction each (turns.ts,
 * apply.ts). A batch that fails for a passing reason (the database away, a deadlock: isTransient) pauses
 * its partitions and is tried again after a growing wait, for as long as it takes (retry.ts); one that
 * fails otherwise is applied again one event at a time, and the event that still fails, like a message
 * that cannot be parsed, fails validation or does not come from its type's producer (parse.ts), goes to
 * the topic's dead-letter topic while the consumer moves on. See docs/events.md for the diagram.
 */
export class EventConsumer {
  private readonly consumer: Consumer
  private readonly log: Logger
  private readonly offsets: AppliedOffsets
  private readonly paused: PausedPartitions
  private readonly turns: Turns
  private readonly deadLetter: DeadLetter
  private commitTimer: NodeJS.Timeout | undefined
  private batchesInFlight = 0
  private running = false

  constructor(private readonly options: ConsumerOptions) {
    // A short session: after a broker restart the group waits out the members it lost before it
    // rebalances. Handlers are short transactions, far below this. A short fetch wait: a resumed
    // partition is fetched again only once the fetch in progress returns, and a stop waits for it too.
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 500,
    })
    this.log = options.logger.child({ consumerGroup: options.groupId })
    this.offsets = new AppliedOffsets(this.consumer, this.log)
    this.paused = new PausedPartitions(options.retryBackoff ?? { initialMs: 100, maxMs: 30_000 }, this.log)
    this.deadLetter = deadLetterSender(options.deadLetterProducer, options.groupId, this.log)
    const applying = {
      db: options.db,
      groupId: options.groupId,
      source: options.source ?? sourceOf(options.groupId),
      handoff: options.handoff,
    }
    this.turns = new Turns((items) => applyOnce(applying, items), this.deadLetter, this.log)
  }

  async start(): Promise<void> {
    await this.consumer.connect()
    await this.consumer.subscribe({
      topics: this.options.topics.map((t) => this.options.topicPrefix + t),
      fromBeginning: true,
    })
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      // Offsets are resolved as chunks are applied, so a stop mid-batch redoes only what did not commit.
      eachBatchAutoResolve: false,
      autoCommit: false, // see AppliedOffsets
      eachBatch: (payload) => this.onBatch(payload),
    })
    this.running = true
    this.commitTimer = setInterval(() => void this.offsets.commit(), this.options.commitIntervalMs ?? 1000)
  }

  /**
   * Commits what is applied, then leaves the group cleanly, so a restart does not wait out the session timeout (kafkajs
   * #701).
   */
  async stop(): Promise<void> {
    clearInterval(this.commitTimer)
    this.paused.stop()
    if (this.running) {
      this.running = false
      this.consumer.pause(this.options.topics.map((t) => ({ topic: this.options.topicPrefix + t })))
      for (let waited = 0; this.batchesInFlight > 0 && waited < 10_000; waited += 20) await sleep(20)
      await this.offsets.commit()
    }
    await this.consumer.disconnect()
  }

  /**
   * What one fetch brought from one partition, in chunks of `maxBatchSize`, each applied in one
   * transaction: a consumer that falls behind then pays one commit for many events instead of one
   * each, so it catches up instead of falling further behind.
   */
  private async onBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
    pause,
  }: EachBatchPayload): Promise<void> {
    const size = this.options.maxBatchSize ?? 100
    const { topic, partition } = batch
    const key = `${topic}/${partition}`
    const resolve = (offset: string) => {
      resolveOffset(offset)
      this.offsets.applied(topic, partition, offset)
    }
    this.batchesInFlight++
    try {
      for (let i = 0; i < batch.messages.length && isRunning() && !isStale(); i += size) {
        const chunk = batch.messages.slice(i, i + size)
        await this.onChunk(topic, partition, chunk)
        resolve(chunk.at(-1)!.offset)
        await heartbeat()
      }
      this.paused.succeeded(key)
    } catch (error) {
      if (!(error instanceof RetryLater)) throw error
      // What comes before the failed event is done; the partition is fetched again from it once resumed,
      // while the other partitions go on.
      if (BigInt(error.offset) > BigInt(batch.messages[0]!.offset)) resolve((BigInt(error.offset) - 1n).toString())
      this.paused.resumeLater(key, pause(), error)
    } finally {
      this.batchesInFlight--
    }
  }

  private async onChunk(topic: string, partition: number, messages: KafkaMessage[]): Promise<void> {
    const { parsed, poison } = parseChunk(messages, this.options.handlers, this.log)
    let retry: RetryLater | null = null
    try {
      if (parsed.length > 0) await this.turns.applyInTurn(topic, partition, parsed)
    } catch (error) {
      if (!(error instanceof RetryLater)) throw error
      retry = error
    }
    // Only what lies before a retry's start: the rest is fetched, and dead-lettered, again.
    for (const { message, raw, error } of poison) {
      if (retry && BigInt(message.offset) >= BigInt(retry.offset)) break
      await this.deadLetter(topic, partition, message, raw, error)
    }
    if (retry) throw retry
  }
}
