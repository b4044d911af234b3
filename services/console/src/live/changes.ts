import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { envelopeSchema, serviceTopics, type Kafka } from '@ccm/events'

/** What the browser is told of an event: ids and names only, as events carry no personal data. */
export interface Change {
  id: string
  type: string
  subject: string
  time: string
  data: unknown
}

export type ChangeListener = (change: Change) => void

declare module 'fastify' {
  interface FastifyInstance {
    changes: {
      subscribe(listener: ChangeListener): () => void
      /** Open streams now: a closed one is gone from here at once. */
      readonly listening: number
      /** Resolves once the consumer has joined and fetched: from then on every event published reaches listeners. */
      ready: Promise<void>
    }
  }
}

/**
 * The three services' topics, read by every console instance in full: a consumer group of its own per instance,
 * starting at the latest offsets and committing none (it stores nothing, so a restart simply starts from now, and the
 * group, never committed, is forgotten by the broker). Each event is handed to the listeners, the open live streams.
 */
export const changesPlugin = fp(
  async (app: FastifyInstance, options: { topicPrefix: string }) => {
    const kafka: Kafka = app.events.kafka
    const listeners = new Set<ChangeListener>()
    const consumer = kafka.consumer({
      groupId: `${options.topicPrefix}console-live-${hostname()}-${randomUUID()}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 200,
    })
    let markReady: () => void = () => {}
    const ready = new Promise<void>((resolve) => (markReady = resolve))
    const stopListening = consumer.on(consumer.events.FETCH, () => {
      markReady()
      stopListening()
    })

    app.decorate('changes', {
      subscribe(listener: ChangeListener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      get listening() {
        return listeners.size
      },
      ready,
    })

    app.addHook('onReady', async () => {
      await consumer.connect()
      await consumer.subscribe({ topics: serviceTopics.map((t) => options.topicPrefix + t), fromBeginning: false })
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          const parsed = envelopeSchema.safeParse(safeJson(message.value?.toString()))
          if (!parsed.success) return // a dead letter for the services' consumers to deal with, not the browser
          const { id, type, subject, time, data } = parsed.data
          for (const listener of listeners) listener({ id, type, subject, time, data })
        },
      })
    })
    app.addHook('onClose', async () => {
      await consumer.disconnect().catch((error) => app.log.warn({ err: error }, 'live consumer stop failed'))
    })
  },
  { name: 'console-changes', dependencies: ['ccm-events'] },
)

function safeJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text)
  } catch {
    return undefined
  }
}
