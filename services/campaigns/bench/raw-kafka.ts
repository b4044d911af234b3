import { pino } from 'pino'
import { createKafka, createProducer, ensureTopics } from '@ccm/events'
import { summary, waitFor, type Summary } from '@ccm/testing'
import { atRate } from './stats.ts'

/**
 * The broker alone: kafkajs produce (the relay's producer settings: idempotent, acks from all) to
 * consume, in this process, at `rate` messages a second of about the size of an event.
 */
export async function rawKafkaRun(options: {
  brokers: string[]
  topic: string
  rate: number
  seconds: number
}): Promise<Summary> {
  const kafka = createKafka({ clientId: 'bench-raw', brokers: options.brokers, logger: pino({ level: 'silent' }) })
  const admin = kafka.admin()
  await admin.connect()
  await ensureTopics(admin, [options.topic])
  await admin.disconnect()
  const producer = createProducer(kafka)
  const consumer = kafka.consumer({ groupId: options.topic })
  await Promise.all([producer.connect(), consumer.connect()])
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  let joined = false
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true
  })
  await consumer.subscribe({ topics: [options.topic], fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ message }) => {
      const at = sentAt.get(message.key!.toString())
      if (at !== undefined) latencies.push(performance.now() - at)
    },
  })
  try {
    await waitFor('the raw consumer to join its group', async () => joined, 30_000)
    await atRate(options.rate, options.seconds, (i) => {
      const key = `m${i}`
      sentAt.set(key, performance.now())
      void producer.send({
        topic: options.topic,
        messages: [{ key, value: JSON.stringify({ i, body: 'x'.repeat(400) }) }],
      })
    })
    await waitFor('every raw message', async () => latencies.length >= options.rate * options.seconds, 30_000)
  } finally {
    await Promise.all([consumer.disconnect(), producer.disconnect()])
  }
  return summary(latencies)
}
