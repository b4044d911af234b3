import { randomBytes } from 'node:crypto'
import { EventEmitter, once } from 'node:events'
import { pino } from 'pino'
import { envelopeSchema, type Envelope } from './envelope.ts'
import { createKafka } from './kafka.ts'

export interface EventCollector {
  /** Every message received so far, parsed as an envelope where it is a valid one. */
  messages: {
    topic: string
    key: string | null
    headers: Record<string, string>
    raw: string
    event: Envelope | null
    /** The producer's, in ms. */ timestamp: number
  }[]
  /** Waits until `count` messages match `predicate`, and returns them. */
  waitFor(predicate: (event: Envelope) => boolean, count?: number, timeoutMs?: number): Promise<Envelope[]>
  close(): Promise<void>
}

/**
 * A plain consumer (a group of its own, from the beginning) that records what arrives on the given
 * topics, for tests and benchmarks to see what the services published.
 */
export async function collectEvents(brokers: string[], topics: string[]): Promise<EventCollector> {
  const kafka = createKafka({ clientId: 'collector', brokers, logger: pino({ level: 'silent' }) })
  const consumer = kafka.consumer({ groupId: `collector-${randomBytes(4).toString('hex')}` })
  const messages: EventCollector['messages'] = []
  const arrivals = new EventEmitter()
  await consumer.connect()
  await consumer.subscribe({ topics, fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const raw = message.value?.toString('utf8') ?? ''
      let event: Envelope | null = null
      try {
        event = envelopeSchema.parse(JSON.parse(raw)) as Envelope
      } catch {}
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]))
      messages.push({
        topic,
        key: message.key?.toString() ?? null,
        headers,
        raw,
        event,
        timestamp: Number(message.timestamp),
      })
      arrivals.emit('message')
    },
  })
  return {
    messages,
    async waitFor(predicate, count = 1, timeoutMs = 20_000) {
      const signal = AbortSignal.timeout(timeoutMs)
      for (;;) {
        const found = messages.flatMap((m) => (m.event && predicate(m.event) ? [m.event] : []))
        if (found.length >= count) return found
        await once(arrivals, 'message', { signal }).catch(() => {
          throw new Error(
            `Timed out after ${timeoutMs} ms waiting for ${count} matching event(s) ` +
              `(${found.length} of ${messages.length} received matched)`,
          )
        })
      }
    },
    close: () => consumer.disconnect(),
  }
}
