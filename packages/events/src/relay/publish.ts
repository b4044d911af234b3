import type { Producer } from '../kafka.ts'

/** An event on its way to Kafka, from a hand-over or from an outbox row. */
export interface Outgoing {
  eventId: string
  type: string
  correlationId: string
  /** The logical topic (`contacts.events`); the prefix is added on sending. */
  topic: string
  /** The aggregate's id: Kafka keeps one key's messages in order. */
  key: string
  /** The envelope as JSON text: an outbox row's as Postgres writes it, never parsed on the way through. */
  value: string
}

/** Sends the events in one request, in order within each topic, so per key; resolves once Kafka has them. */
export async function sendToKafka(producer: Producer, topicPrefix: string, outgoing: Outgoing[]): Promise<void> {
  const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>()
  for (const { eventId, type, correlationId, topic: logical, key, value } of outgoing) {
    const topic = topicPrefix + logical
    const messages = byTopic.get(topic) ?? []
    messages.push({ key, value, headers: { ce_id: eventId, ce_type: type, correlationid: correlationId } })
    byTopic.set(topic, messages)
  }
  await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) })
}
