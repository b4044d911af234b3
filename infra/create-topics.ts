// Creates the services' topics and their dead-letter topics on purpose, waiting for partition
// leaders (auto-creation is off on our broker). Safe to run again: existing topics are left alone.
import { pino } from 'pino'
import { createKafka, ensureTopics, serviceTopics } from '@ccm/events'

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')
const prefix = process.env.KAFKA_TOPIC_PREFIX ?? ''
const kafka = createKafka({ clientId: 'ccm-infra', brokers, logger: pino({ level: 'warn' }) })
const admin = kafka.admin()
await admin.connect()
try {
  const topics = serviceTopics.map((t) => prefix + t)
  await ensureTopics(admin, topics)
  console.log(`kafka: topics ready: ${topics.flatMap((t) => [t, `${t}.dlq`]).join(', ')}`)
} finally {
  await admin.disconnect()
}
