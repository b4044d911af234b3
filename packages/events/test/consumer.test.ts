import t from 'tap'
import { pino } from 'pino'
import { createPool } from '@ccm/db'
import { collectEvents, createTestDatabase, uniqueTopicPrefix, waitFor } from '@ccm/testing'
import { createEnvelope, createKafka, createProducer, ensureTopics, eventsMigrations, EventConsumer } from '../src/index.ts'

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')

t.test('an idempotent consumer with a dead-letter topic', async (t) => {
  const database = await createTestDatabase('ccm_events', [eventsMigrations])
  const db = createPool(database.url)
  await db.query('CREATE TABLE applied (event_id uuid, iso3 text)')
  const prefix = uniqueTopicPrefix()
  const topic = `${prefix}contacts.events`
  const logger = pino({ level: 'silent' })
  const kafka = createKafka({ clientId: 'events-test', brokers, logger })
  const admin = kafka.admin()
  await admin.connect()
  await ensureTopics(admin, [topic])
  const producer = createProducer(kafka)
  await producer.connect()
  const deadLetters = await collectEvents(brokers, [`${topic}.dlq`])

  let failuresLeft = Infinity
  const consumer = new EventConsumer({
    kafka, db, groupId: 'events-test', topics: ['contacts.events'], topicPrefix: prefix,
    deadLetterProducer: producer, logger, maxAttempts: 2,
    handlers: {
      'contacts.person.erased': async (event, { client }) => {
        if (event.data.id === '00000000-0000-4000-8000-00000000dead' && failuresLeft-- > 0) throw new Error('handler bug')
        await client.query('INSERT INTO applied VALUES ($1, $2)', [event.id, event.data.id])
      },
    },
  })
  await consumer.start()
  t.teardown(async () => {
    await consumer.stop()
    await deadLetters.close()
    await producer.disconnect()
    await admin.disconnect()
    await db.end()
    await database.drop()
  })

  const erased = (id: string) => createEnvelope({ source: '/test', type: 'contacts.person.erased', subject: id, data: { id }, actor: 'tester', correlationId: 'c-1' })
  const good = erased('00000000-0000-4000-8000-000000000001')
  const send = (value: string, key = 'k') => producer.send({ topic, messages: [{ key, value }] })

  await send('{ this is not json')
  await send(JSON.stringify({ ...erased('00000000-0000-4000-8000-000000000002'), data: { id: 'not-a-uuid' } }))
  await send(JSON.stringify(erased('00000000-0000-4000-8000-00000000dead')))
  await send(JSON.stringify(good))
  await send(JSON.stringify(good)) // delivered twice

  await waitFor('the good event applied', async () => (await db.query('SELECT 1 FROM applied WHERE event_id = $1', [good.id])).rowCount)
  const dead = await waitFor('three dead letters', async () => deadLetters.messages.length >= 3 && deadLetters.messages)

  t.match(dead[0]!.headers, { 'dlq-error': 'message value is not JSON', 'dlq-consumer-group': 'events-test', 'dlq-source-topic': topic })
  t.equal(dead[0]!.raw, '{ this is not json', 'the original bytes are kept')
  t.match(dead[1]!.headers['dlq-error'], /invalid contacts.person.erased data: id:/)
  t.equal(dead[2]!.headers['dlq-error'], 'handler bug', 'a handler that keeps failing is dead-lettered too')

  const { rows } = await db.query('SELECT count(*)::int AS n FROM applied WHERE event_id = $1', [good.id])
  t.equal(rows[0].n, 1, 'the event delivered twice was applied once')
  const failing = await db.query(`SELECT count(*)::int AS n FROM processed_events WHERE event_type = 'contacts.person.erased'`)
  t.equal(failing.rows[0].n, 1, 'the failed attempts left no processed mark behind')
})
