import { randomBytes } from 'node:crypto'
import { pino } from 'pino'
import { createKafka, envelopeSchema, type Envelope } from '@ccm/events'
import { waitFor } from './wait.ts'

/** Topics of their own for one test file, so parallel files never see each other's events. */
export function uniqueTopicPrefix(): string {
  return `test-${randomBytes(4).toString('hex')}.`
}

export interface EventCollector {
  /** Every message received so far, parsed as an envelope where possible. */
  messages: { topic: string; key: string | null; headers: Record<string, string>; raw: string; event: Envelope | null; /** The producer's, in ms. */ timestamp: number }[]
  /** Waits until `count` messages match `predicate`, and returns them. */
  waitFor(predicate: (event: Envelope) => boolean, count?: number, timeoutMs?: number): Promise<Envelope[]>
  close(): Promise<void>
}

/** A plain consumer (its own group, from the beginning) that records what arrives on the given topics. */
export async function collectEvents(brokers: string[], topics: string[]): Promise<EventCollector> {
  const kafka = createKafka({ clientId: 'test-collector', brokers, logger: pino({ level: 'silent' }) })
  const consumer = kafka.consumer({ groupId: `collector-${randomBytes(4).toString('hex')}` })
  const messages: EventCollector['messages'] = []
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
      messages.push({ topic, key: message.key?.toString() ?? null, headers, raw, event, timestamp: Number(message.timestamp) })
    },
  })
  return {
    messages,
    async waitFor(predicate, count = 1, timeoutMs = 20_000) {
      return waitFor(`${count} matching event(s)`, async () => {
        const found = messages.flatMap((m) => (m.event && predicate(m.event) ? [m.event] : []))
        return found.length >= count ? found : null
      }, timeoutMs)
    },
    close: () => consumer.disconnect(),
  }
}
