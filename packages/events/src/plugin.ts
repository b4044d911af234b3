import type { FastifyInstance } from 'fastify'
import type {} from '@ccm/http' // its FastifyInstance augmentation: readinessChecks
import fp from 'fastify-plugin'
import type { Logger } from 'pino'
import { unreachable, type BaseConfig } from '@ccm/config'
import type { Db } from '@ccm/db'
import {
  createKafka,
  createProducer,
  ensureTopics,
  type Admin,
  type Kafka,
  type KafkaSecurity,
  type Producer,
} from './kafka.ts'
import { OutboxRelay } from './relay/relay.ts'
import { EventConsumer } from './consumer/consumer.ts'
import type { EventHandlers } from './consumer/handlers.ts'
import { withWrites, type WriteTransaction } from './writes.ts'
import { sourceOf } from './envelope.ts'
import { serviceTopics } from './catalogue/index.ts'

export interface EventsPluginOptions {
  /** The producing service: the envelope's `source` is `/ccm/<service>`. */
  service: string
  /** The service's database, for the relay's own session. */
  connectionString: string
  /** The settings every service shares (@ccm/config) that say where Kafka is and how to reach it. */
  config: KafkaSecurity & Pick<BaseConfig, 'KAFKA_BROKERS' | 'KAFKA_TOPIC_PREFIX' | 'OUTBOX_POLL_MS'>
}

export interface Events {
  kafka: Kafka
  /**
   * Every write that stores audit rows or events: a transaction on the service's pool whose buffered
   * audit rows and events are stored with its commit, then handed to the relay (see withWrites).
   */
  withWrites<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T>
  /** Registers a consumer; it starts when the app is ready and leaves its group when the app closes. */
  consume(options: {
    groupId: string
    topics: string[]
    handlers: EventHandlers
    partitionsConsumedConcurrently?: number
  }): void
}

declare module 'fastify' {
  interface FastifyInstance {
    events: Events
  }
}

/**
 * Kafka for a service: topics ensured at start-up, the outbox relay, and its consumers; all closed
 * in order on shutdown (consumers leave their groups, the relay flushes, the producer disconnects).
 */
export const eventsPlugin = fp(
  async (app: FastifyInstance & { db: Db }, options: EventsPluginOptions) => {
    // Fastify types app.log as its minimal logger interface; it is the pino logger the app was built with.
    const logger = app.log as unknown as Logger
    const { config } = options
    const kafka = createKafka({
      clientId: `ccm-${options.service}`,
      brokers: config.KAFKA_BROKERS,
      logger,
      security: config,
    })
    const admin: Admin = kafka.admin()
    try {
      await admin.connect()
      await ensureTopics(
        admin,
        serviceTopics.map((t) => config.KAFKA_TOPIC_PREFIX + t),
      )
    } catch (error) {
      await admin.disconnect().catch(() => {})
      throw unreachable('Kafka', config.KAFKA_BROKERS.join(','), error)
    }
    const producer: Producer = createProducer(kafka)
    await producer.connect()

    const relay = new OutboxRelay({
      db: app.db,
      connectionString: options.connectionString,
      producer,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      logger: logger.child({ component: 'outbox-relay' }),
      pollMs: config.OUTBOX_POLL_MS,
    })
    const consumers: EventConsumer[] = []
    const source = sourceOf(options.service)

    app.decorate('events', {
      kafka,
      withWrites: (work) => withWrites(app.db, source, work, relay),
      consume: ({ groupId, topics, handlers, partitionsConsumedConcurrently }) => {
        consumers.push(
          new EventConsumer({
            kafka,
            db: app.db,
            groupId,
            source,
            topics,
            handlers,
            partitionsConsumedConcurrently,
            topicPrefix: config.KAFKA_TOPIC_PREFIX,
            deadLetterProducer: producer,
            logger,
            handoff: relay,
          }),
        )
      },
    } satisfies Events)
    app.readinessChecks.set('kafka', () => admin.describeCluster())

    app.addHook('onReady', async () => {
      relay.start()
      await Promise.all(consumers.map((c) => c.start()))
    })
    app.addHook('onClose', async () => {
      await Promise.all(
        consumers.map((c) => c.stop().catch((error) => app.log.warn({ err: error }, 'consumer stop failed'))),
      )
      await relay.stop()
      await producer.disconnect().catch(() => {})
      await admin.disconnect().catch(() => {})
    })
  },
  { name: 'ccm-events', dependencies: ['ccm-db', 'ccm-health'] },
)
