import t from 'tap'
import { pino } from 'pino'
import { uniqueTopicPrefix } from '@ccm/testing'
import { createKafka, createProducer, ensureTopics } from '../src/index.ts'
import { brokers } from './fixture.ts'

// Many topics created at once keep a broker busy: it may not know some of them for a moment after it
// has created them, and kafkajs' own wait for their leaders gives up then.
t.test('ensureTopics returns once every partition of many new topics has a leader', async (t) => {
  const kafka = createKafka({ clientId: 'topics-test', brokers, logger: pino({ level: 'silent' }) })
  const admin = kafka.admin()
  await admin.connect()
  const prefix = uniqueTopicPrefix()
  const topics = Array.from({ length: 40 }, (_, i) => `${prefix}many-${i}`)
  // As a benchmark does after removing what test runs left: the broker is still busy deleting those.
  const removed = Array.from({ length: 40 }, (_, i) => `${prefix}old-${i}`)
  await ensureTopics(admin, removed)
  await admin.deleteTopics({ topics: removed.flatMap((topic) => [topic, `${topic}.dlq`]) })
  t.teardown(async () => {
    await admin
      .deleteTopics({ topics: (await admin.listTopics()).filter((name) => name.startsWith(prefix)) })
      .catch(() => {})
    await admin.disconnect()
  })

  await ensureTopics(admin, topics)

  const { topics: metadata } = await admin.fetchTopicMetadata({ topics })
  t.equal(metadata.length, topics.length)
  t.ok(
    metadata.every((topic) => topic.partitions.length === 3 && topic.partitions.every((p) => p.leader >= 0)),
    'each of the 3 partitions of every topic has a leader',
  )
  const producer = createProducer(kafka)
  await producer.connect()
  t.teardown(() => producer.disconnect())
  await producer.sendBatch({ topicMessages: topics.map((topic) => ({ topic, messages: [{ key: 'k', value: 'v' }] })) })
  t.pass('the first produce to each new topic succeeds')

  await ensureTopics(admin, topics)
  t.pass('asking again for topics that exist changes nothing and does not fail')
})
