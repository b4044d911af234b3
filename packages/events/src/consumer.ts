import { setTimeout as sleep } from 'node:timers/promises'
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs'
import type { Logger } from 'pino'
import type { Db, DbClient } from '@ccm/db'
import { envelopeSchema, sourceOf, type Envelope } from './envelope.ts'
import { deadLetterTopicOf, eventCatalogue, ownerOf, type EventData, type EventType } from './catalogue/index.ts'
import type { Kafka, Producer } from './kafka.ts'
import type { CommitHandoff } from './relay/handoff.ts'
import { isTransient } from './transient.ts'
import { withWrites, type WriteBuffer } from './writes.ts'

export interface HandlerContext {
  /**
   * The handler's transaction: its writes commit together with the event's processed mark (and with
   * the other events of its batch). Never commit or roll it back; throw to undo.
   */
  client: DbClient
  /** Carries the event's correlation id, so one request can be followed across services. */
  log: Logger
  /** The transaction's outbox events and audit rows, stored together just before it commits. */
  writes: WriteBuffer
}

export type EventHandler<T extends EventType> = (event: Envelope<EventData<T>>, context: HandlerContext) => Promise<void>
export type EventHandlers = { [T in EventType]?: EventHandler<T> }

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
  /** The wait before a partition whose events failed for a passing reason is tried again: doubles from `initialMs` up to `maxMs`. */
  retryBackoff?: { initialMs: number; maxMs: number }
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

/** A message that parsed, with the handler it is for. */
interface Parsed {
  message: KafkaMessage
  raw: string
  event: Envelope
  handler: EventHandler<EventType>
  log: Logger
}

/** One partition's parsed messages, and the partition's wait for them to be applied. */
interface Chunk {
  topic: string
  partition: number
  items: Parsed[]
  resolve: () => void
  reject: (error: unknown) => void
}

class PoisonMessage extends Error {
  override name = 'PoisonMessage'
}

/** A partition's events failed for a passing reason (see isTransient): it is fetched again from `offset` after a wait. */
class RetryLater extends Error {
  override name = 'RetryLater'
  constructor(readonly offset: string, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
  }
}

/** A batch held an event this group had applied already: it is applied again, checking each event first. */
class SeenBefore extends Error {
  override name = 'SeenBefore'
}

/**
 * An idempotent consumer: each event is applied at most once per group (a processed-events row is
 * written in the handler's transaction). Events are applied in batches, a transaction each. A batch
 * that fails for a passing reason (the database away, a deadlock: isTransient) pauses its partitions
 * and is tried again after a growing wait, for as long as it takes; one that fails otherwise is applied
 * again one event at a time, and the event that still fails, like a message that cannot be parsed, fails
 * validation or does not come from its type's producer, goes to the topic's dead-letter topic while
 * the consumer moves on.
 */
export class EventConsumer {
  private readonly consumer: Consumer
  private readonly log: Logger
  /** Chunks waiting for the transaction in progress to end; the next one takes them all. */
  private waiting: Chunk[] = []
  private applying = false
  /** Per partition, the next offset to read once what is applied is committed to Kafka. */
  private readonly uncommitted = new Map<string, { topic: string; partition: number; offset: string }>()
  private commitTimer: NodeJS.Timeout | undefined
  private batchesInFlight = 0
  private running = false
  /** Per paused partition: its failed attempts in a row, and the timer that resumes it. */
  private readonly retrying = new Map<string, { attempts: number; timer?: NodeJS.Timeout }>()

  constructor(private readonly options: ConsumerOptions) {
    // A short session: after a broker restart the group waits out the members it lost before it
    // rebalances. Handlers are short transactions, far below this. A short fetch wait: a resumed
    // partition is fetched again only once the fetch in progress returns, and a stop waits for it too.
    this.consumer = options.kafka.consumer({ groupId: options.groupId, sessionTimeout: 10_000, heartbeatInterval: 1000, maxWaitTimeInMs: 500 })
    this.log = options.logger.child({ consumerGroup: options.groupId })
  }

  async start(): Promise<void> {
    await this.consumer.connect()
    await this.consumer.subscribe({ topics: this.options.topics.map((t) => this.options.topicPrefix + t), fromBeginning: true })
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      // Offsets are resolved as chunks are applied, so a stop mid-batch redoes only what did not commit.
      eachBatchAutoResolve: false,
      // kafkajs would commit after every batch, a broker round trip before the next fetch; offsets are
      // committed on a timer instead. What a crash leaves uncommitted is delivered again and skipped,
      // each event being applied once per group whatever Kafka redelivers.
      autoCommit: false,
      eachBatch: (payload) => this.onBatch(payload),
    })
    this.running = true
    this.commitTimer = setInterval(() => void this.commitApplied(), this.options.commitIntervalMs ?? 1000)
  }

  /** Commits what is applied, then leaves the group cleanly, so a restart does not wait out the session timeout (kafkajs #701). */
  async stop(): Promise<void> {
    clearInterval(this.commitTimer)
    for (const { timer } of this.retrying.values()) clearTimeout(timer)
    if (this.running) {
      this.running = false
      this.consumer.pause(this.options.topics.map((t) => ({ topic: this.options.topicPrefix + t })))
      for (let waited = 0; this.batchesInFlight > 0 && waited < 10_000; waited += 20) await sleep(20)
      await this.commitApplied()
    }
    await this.consumer.disconnect()
  }

  private async commitApplied(): Promise<void> {
    if (this.uncommitted.size === 0) return
    const offsets = [...this.uncommitted.values()]
    this.uncommitted.clear()
    try {
      await this.consumer.commitOffsets(offsets)
    } catch (error) {
      // A rebalance or a broker away: these events will be delivered again, and skipped.
      this.log.warn({ err: error }, 'offsets not committed')
    }
  }

  /**
   * What one fetch brought from one partition, in chunks of `maxBatchSize`, each applied in one
   * transaction: a consumer that falls behind then pays one commit for many events instead of one
   * each, so it catches up instead of falling further behind.
   */
  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }: EachBatchPayload): Promise<void> {
    const size = this.options.maxBatchSize ?? 100
    const { topic, partition } = batch
    const key = `${topic}/${partition}`
    const resolve = (offset: string) => {
      resolveOffset(offset)
      this.uncommitted.set(key, { topic, partition, offset: (BigInt(offset) + 1n).toString() })
    }
    this.batchesInFlight++
    try {
      for (let i = 0; i < batch.messages.length && isRunning() && !isStale(); i += size) {
        const chunk = batch.messages.slice(i, i + size)
        await this.onChunk(topic, partition, chunk)
        resolve(chunk.at(-1)!.offset)
        await heartbeat()
      }
      this.retrying.delete(key)
    } catch (error) {
      if (!(error instanceof RetryLater)) throw error
      // What comes before the failed event is done; the partition is fetched again from it once resumed,
      // while the other partitions go on.
      if (BigInt(error.offset) > BigInt(batch.messages[0]!.offset)) resolve((BigInt(error.offset) - 1n).toString())
      this.retryLater(key, pause(), error)
    } finally {
      this.batchesInFlight--
    }
  }

  /** Resumes the paused partition after a wait that doubles with each failure in a row, with jitter so instances do not retry in step. */
  private retryLater(key: string, resume: () => void, error: RetryLater): void {
    const { initialMs, maxMs } = this.options.retryBackoff ?? { initialMs: 100, maxMs: 30_000 }
    const state = this.retrying.get(key) ?? { attempts: 0 }
    state.attempts++
    const waitMs = Math.round(Math.min(maxMs, initialMs * 2 ** (state.attempts - 1)) * (0.5 + Math.random() / 2))
    this.log.warn({ err: error.cause, partition: key, offset: error.offset, attempt: state.attempts, retryInMs: waitMs }, 'events failed for a passing reason; partition paused, will retry')
    state.timer = setTimeout(resume, waitMs)
    this.retrying.set(key, state)
  }

  private async onChunk(topic: string, partition: number, messages: KafkaMessage[]): Promise<void> {
    const parsed: Parsed[] = []
    const poison: { message: KafkaMessage; raw: string; error: unknown }[] = []
    for (const message of messages) {
      const raw = message.value?.toString('utf8') ?? ''
      let event: Envelope
      try {
        event = this.parse(raw)
      } catch (error) {
        poison.push({ message, raw, error })
        continue
      }
      const handler = this.options.handlers[event.type as EventType] as EventHandler<EventType> | undefined
      if (!handler) continue // another consumer's business
      const log = this.log.child({ eventId: event.id, eventType: event.type, correlationId: event.correlationid })
      parsed.push({ message, raw, event, handler, log })
    }
    let retry: RetryLater | null = null
    try {
      if (parsed.length > 0) await this.applyInTurn(topic, partition, parsed)
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

  /**
   * Applies a partition's chunk with whatever other partitions' chunks are waiting, one transaction at
   * a time: the transaction's cost is shared, and two transactions never wait on each other's locks
   * (a batch locks rows in its events' order, so two side by side could deadlock). Each partition
   * waits for its chunk to commit before it goes on, so the order within it is kept.
   */
  private applyInTurn(topic: string, partition: number, items: Parsed[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ topic, partition, items, resolve, reject })
      if (!this.applying) void this.applyWaiting()
    })
  }

  private async applyWaiting(): Promise<void> {
    this.applying = true
    try {
      while (this.waiting.length > 0) {
        const turn = this.waiting.splice(0)
        const failure = await this.apply(turn.flatMap((chunk) => chunk.items)).then(() => null, (error: unknown) => error)
        if (failure && !isTransient(failure)) this.log.warn({ err: failure }, 'batch failed; applying its events one by one')
        for (const chunk of turn) {
          try {
            if (failure) await this.applyOneByOne(chunk, failure)
            chunk.resolve()
          } catch (error) {
            chunk.reject(error) // a passing failure, or the dead-letter topic unreachable: the partition is tried again
          }
        }
      }
    } finally {
      this.applying = false
    }
  }

  /**
   * After its batch failed: a passing failure sends the whole partition back to wait and retry. Otherwise
   * one bad event must neither hold back nor dead-letter the others, so each is applied alone, and the
   * one that fails for a reason that does not pass is dead-lettered.
   */
  private async applyOneByOne(chunk: Chunk, batchFailure: unknown): Promise<void> {
    if (isTransient(batchFailure)) throw new RetryLater(chunk.items[0]!.message.offset, batchFailure)
    for (const item of chunk.items) {
      try {
        await this.apply([item])
      } catch (error) {
        if (isTransient(error)) throw new RetryLater(item.message.offset, error)
        item.log.error({ err: error }, 'event handler failed; sending the event to the dead-letter topic')
        await this.deadLetter(chunk.topic, chunk.partition, item.message, item.raw, error)
      }
    }
  }

  /**
   * Applies the events in order in one transaction, with their processed-events rows: each is applied
   * at most once per group. The rows are sent with BEGIN and the handlers start at once, behind them on
   * the pipelined connection, without waiting to learn whether each event is new: they nearly always
   * are. If one is not (redelivered, or twice in the batch), the transaction is undone and the batch
   * applied again, its new events only.
   */
  private async apply(items: Parsed[]): Promise<void> {
    try {
      await this.applyInTransaction(items, 'assume new')
    } catch (error) {
      if (!(error instanceof SeenBefore)) throw error
      await this.applyInTransaction(items, 'check first')
    }
  }

  private async applyInTransaction(items: Parsed[], mode: 'assume new' | 'check first'): Promise<void> {
    const source = this.options.source ?? sourceOf(this.options.groupId)
    const done = await withWrites(this.options.db, source, async ({ client, writes }) => {
      const marked = client.query<{ event_id: string }>({
        // Named, so each connection plans it once: the statements run for every batch are the hot path.
        name: 'consumer-mark-processed',
        text: `INSERT INTO processed_events (consumer_group, event_id, event_type)
               SELECT $1, id, type FROM unnest($2::uuid[], $3::text[]) AS e(id, type)
               ON CONFLICT DO NOTHING RETURNING event_id`,
        values: [this.options.groupId, items.map((i) => i.event.id), items.map((i) => i.event.type)],
      })
      marked.catch(() => {}) // awaited below; the handlers' statements behind it fail too if it did
      // Postgres returns uuids in lower case, whatever case the producer wrote.
      const freshIn = async () => new Set((await marked).rows.map((r) => r.event_id))
      const fresh = mode === 'check first' ? await freshIn() : null
      const applied: boolean[] = []
      try {
        for (const { event, handler, log } of items) {
          applied.push(fresh ? fresh.delete(event.id.toLowerCase()) : true)
          if (applied.at(-1)) await handler(event as Envelope<EventData<EventType>>, { client, log, writes })
        }
      } catch (error) {
        // A failed mark is the cause of what failed behind it (freshIn throws it); a handler may also
        // have failed on an event it had applied before, which the careful pass skips.
        if (!fresh && (await freshIn()).size < items.length) throw new SeenBefore()
        throw error
      }
      if (!fresh && (await freshIn()).size < items.length) throw new SeenBefore()
      return applied
    }, this.options.handoff)
    items.forEach(({ log }, i) => log.debug({ applied: done[i] }, done[i] ? 'event applied' : 'duplicate event skipped'))
  }

  private parse(raw: string): Envelope {
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch {
      throw new PoisonMessage('message value is not JSON')
    }
    const envelope = envelopeSchema.safeParse(json)
    if (!envelope.success) throw new PoisonMessage(`invalid envelope: ${envelope.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    const schema = eventCatalogue[envelope.data.type as EventType]
    if (schema && this.options.handlers[envelope.data.type as EventType]) {
      const owner = sourceOf(ownerOf(envelope.data.type as EventType))
      if (envelope.data.source !== owner) throw new PoisonMessage(`${envelope.data.type} comes from ${owner} only, not from ${envelope.data.source}`)
      const data = schema.safeParse(envelope.data.data)
      if (!data.success) throw new PoisonMessage(`invalid ${envelope.data.type} data: ${data.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
      return { ...envelope.data, data: data.data }
    }
    return envelope.data
  }

  /** Sends the message to the topic's dead-letter topic, the reason in its headers; if that fails, it is fetched and handled again later. */
  private async deadLetter(topic: string, partition: number, { offset, key }: KafkaMessage, raw: string, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error)
    this.log.warn({ topic, partition, offset, reason }, 'message sent to dead-letter topic')
    await this.options.deadLetterProducer.send({
      topic: deadLetterTopicOf(topic),
      messages: [{
        key,
        value: raw,
        headers: {
          'dlq-error': reason,
          'dlq-source-topic': topic,
          'dlq-source-partition': String(partition),
          'dlq-source-offset': offset,
          'dlq-consumer-group': this.options.groupId,
        },
      }],
    }).catch((sendError: unknown) => {
      throw new RetryLater(offset, sendError)
    })
  }
}
