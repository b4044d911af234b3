import { setTimeout as sleep } from 'node:timers/promises'
import type { Consumer, EachMessagePayload } from 'kafkajs'
import type { Logger } from 'pino'
import { withTransaction, type Db, type DbClient } from '@ccm/db'
import { envelopeSchema, type Envelope } from './envelope.ts'
import { deadLetterTopicOf, eventCatalogue, type EventData, type EventType } from './catalogue/index.ts'
import type { Kafka, Producer } from './kafka.ts'

export interface HandlerContext {
  /** The handler's transaction: its writes commit together with the processed-event mark. */
  client: DbClient
  /** Carries the event's correlation id, so one request can be followed across services. */
  log: Logger
}

export type EventHandler<T extends EventType> = (event: Envelope<EventData<T>>, context: HandlerContext) => Promise<void>
export type EventHandlers = { [T in EventType]?: EventHandler<T> }

export interface ConsumerOptions {
  kafka: Kafka
  db: Db
  /** Also the key of this consumer's processed-events rows. */
  groupId: string
  /** Logical names (`contacts.events`); the prefix is added here. */
  topics: string[]
  topicPrefix: string
  handlers: EventHandlers
  deadLetterProducer: Producer
  logger: Logger
  /** Attempts at a handler that throws before the message goes to the dead-letter topic. */
  maxAttempts?: number
  /** Partitions handled at once (kafkajs); order within a partition, hence per key, is kept. Default 1. */
  partitionsConsumedConcurrently?: number
}

class PoisonMessage extends Error {
  override name = 'PoisonMessage'
}

/**
 * An idempotent consumer: each event is applied at most once per group (a processed-events row is
 * written in the handler's transaction), and a message that cannot be parsed, fails validation or
 * keeps failing goes to the topic's dead-letter topic while the consumer moves on.
 */
export class EventConsumer {
  private readonly consumer: Consumer
  private readonly log: Logger

  constructor(private readonly options: ConsumerOptions) {
    // A short session: after a broker restart the group waits out the members it lost before it
    // rebalances. Handlers are short transactions, far below this.
    this.consumer = options.kafka.consumer({ groupId: options.groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 })
    this.log = options.logger.child({ consumerGroup: options.groupId })
  }

  async start(): Promise<void> {
    await this.consumer.connect()
    await this.consumer.subscribe({ topics: this.options.topics.map((t) => this.options.topicPrefix + t), fromBeginning: true })
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachMessage: (payload) => this.onMessage(payload),
    })
  }

  /** Leaves the group cleanly, so a restart does not wait out the session timeout (kafkajs #701). */
  async stop(): Promise<void> {
    await this.consumer.disconnect()
  }

  private async onMessage({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const raw = message.value?.toString('utf8') ?? ''
    let event: Envelope
    try {
      event = this.parse(raw)
    } catch (error) {
      return this.deadLetter(topic, partition, message.offset, message.key, raw, error)
    }
    const handler = this.options.handlers[event.type as EventType] as EventHandler<EventType> | undefined
    if (!handler) return // another consumer's business

    const log = this.log.child({ eventId: event.id, eventType: event.type, correlationId: event.correlationid })
    const maxAttempts = this.options.maxAttempts ?? 3
    for (let attempt = 1; ; attempt++) {
      try {
        const applied = await withTransaction(this.options.db, async (client) => {
          const { rowCount } = await client.query(
            `INSERT INTO processed_events (consumer_group, event_id, event_type) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING`,
            [this.options.groupId, event.id, event.type],
          )
          if (rowCount === 0) return false
          await handler(event as Envelope<EventData<EventType>>, { client, log })
          return true
        })
        log.debug({ applied }, applied ? 'event applied' : 'duplicate event skipped')
        return
      } catch (error) {
        if (attempt >= maxAttempts) {
          log.error({ err: error, attempt }, 'event handler kept failing; sending to dead-letter topic')
          return this.deadLetter(topic, partition, message.offset, message.key, raw, error)
        }
        log.warn({ err: error, attempt }, 'event handler failed; retrying')
        await sleep(200 * 2 ** (attempt - 1))
      }
    }
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
      const data = schema.safeParse(envelope.data.data)
      if (!data.success) throw new PoisonMessage(`invalid ${envelope.data.type} data: ${data.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
      return { ...envelope.data, data: data.data }
    }
    return envelope.data
  }

  private async deadLetter(topic: string, partition: number, offset: string, key: Buffer | null, raw: string, error: unknown): Promise<void> {
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
    })
  }
}
