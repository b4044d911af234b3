import { randomBytes } from 'node:crypto'
import { deadLetterTopicOf } from './catalogue/index.ts'
import type { Kafka, Producer } from './kafka.ts'
import { isTransient } from './transient.ts'

export interface DeadLetter {
  partition: number
  offset: string
  key: Buffer | null
  value: Buffer | null
  /** The consumer's reason (`dlq-error`) and where the message came from (`dlq-source-*`). */
  headers: Record<string, string>
  /** When it was dead-lettered. */
  time: Date
  /** Read from the envelope when it parses; events carry ids, never personal data. */
  id: string | null
  type: string | null
  subject: string | null
}

function envelopeFields(value: Buffer | null): Pick<DeadLetter, 'id' | 'type' | 'subject'> {
  try {
    const { id, type, subject } = JSON.parse(value?.toString('utf8') ?? '') as Record<string, unknown>
    const text = (v: unknown) => (typeof v === 'string' ? v : null)
    return { id: text(id), type: text(type), subject: text(subject) }
  } catch {
    return { id: null, type: null, subject: null }
  }
}

/**
 * The topic's offsets. A topic created moments ago may have no partition leader yet (NOT_LEADER_FOR_PARTITION),
 * which the admin client does not retry: a passing failure is tried again for a few seconds.
 */
async function offsetsOf(admin: ReturnType<Kafka['admin']>, topic: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic)
    } catch (error) {
      if (attempt >= 20 || !isTransient(error)) throw error
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

/**
 * Every message on `topic`'s dead-letter topic, in order per partition; read by a group of its own, removed afterwards.
 */
export async function readDeadLetters(kafka: Kafka, topic: string): Promise<DeadLetter[]> {
  const dlq = deadLetterTopicOf(topic)
  const admin = kafka.admin()
  await admin.connect()
  try {
    if (!(await admin.listTopics()).includes(dlq)) throw new Error(`there is no topic ${dlq}`)
    const ends = await offsetsOf(admin, dlq)
    const left = new Map(
      ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high) - 1n]),
    )
    if (left.size === 0) return []
    const groupId = `dlq-reader-${randomBytes(4).toString('hex')}`
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 })
    const letters: DeadLetter[] = []
    await consumer.connect()
    try {
      await consumer.subscribe({ topics: [dlq], fromBeginning: true })
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]))
              letters.push({
                partition,
                offset: message.offset,
                key: message.key,
                value: message.value,
                headers,
                time: new Date(Number(message.timestamp)),
                ...envelopeFields(message.value),
              })
              if (BigInt(message.offset) >= (left.get(partition) ?? -1n)) left.delete(partition)
              if (left.size === 0) resolve()
            },
          })
          .catch(reject)
      })
    } finally {
      await consumer.disconnect()
    }
    await admin.deleteGroups([groupId]).catch(() => {}) // only litter if it stays
    return letters.sort((a, b) => a.time.getTime() - b.time.getTime())
  } finally {
    await admin.disconnect()
  }
}

/**
 * Sends dead letters back to the topic they came from, as they were. Consumers record the ids of the
 * events they apply, so a group that had applied one skips it; a message still bad is dead-lettered again.
 */
export async function replayDeadLetters(producer: Producer, topic: string, letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return
  await producer.send({
    topic,
    messages: letters.map((l) => ({
      key: l.key,
      value: l.value,
      headers: { 'dlq-replayed-from': `${deadLetterTopicOf(topic)}/${l.partition}/${l.offset}` },
    })),
  })
}
