import type { Envelope } from '../envelope.ts'
import type { Producer } from '../kafka.ts'

/** An event on its way to Kafka, from a hand-over or from an outbox row. */
export interface Outgoing {
  eventId: string
  /** The logical topic (`contacts.events`); the prefix is added on sending. */
  topic: string
  /** The aggregate's id: Kafka keeps one key's messages in order. */
  key: string
  envelope: Envelope | Record<string, unknown>
}

/** Sends the events in one request, in order within each topic, so per key; resolves once Kafka has them. */
export async function sendToKafka(producer: Producer, topicPrefix: string, outgoing: Outgoing[]): Promise<void> {
  const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>()
  for (const { topic: logical, key, envelope } of outgoing) {
    const topic = topicPrefix + logical
    const messages = byTopic.get(topic) ?? []
    messages.push({
      key,
      value: JSON.stringify(envelope),
      headers: {
        ce_id: String(envelope.id),
        ce_type: String(envelope.type),
        correlationid: String(envelope.correlationid),
      },
    })
    byTopic.set(topic, messages)
  }
  await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) })
}
