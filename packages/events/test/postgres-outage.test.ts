import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { pino } from 'pino'
import { auditMigrations, createPool, ensureDatabase, runMigrations } from '@ccm/db'
import { uniqueTopicPrefix, waitFor } from '@ccm/testing'
import {
  collectEvents,
  createEnvelope,
  createKafka,
  createProducer,
  ensureTopics,
  EventConsumer,
  eventsMigrations,
} from '../src/index.ts'
import { brokers } from './fixture.ts'
import { privatePostgres } from './private-postgres.ts'

const person = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const erased = (n: number) =>
  createEnvelope({
    source: '/ccm/contacts',
    type: 'contacts.person.erased',
    subject: person(n),
    data: { id: person(n) },
    actor: 'tester',
    correlationId: `c-${n}`,
  })

t.test(
  'events that arrive while Postgres is down for 20 s are all applied once it is back, none dead-lettered',
  async (t) => {
    const postgres = await privatePostgres()
    t.teardown(() => postgres.destroy())
    const url = postgres.url.replace(/\/postgres$/, '/ccm_events_outage')
    await ensureDatabase(url)
    await runMigrations(url, [auditMigrations, eventsMigrations])
    const db = createPool(url, { max: 4, connectionTimeoutMillis: 1000 })
    db.on('error', () => {}) // idle connections die with the server: the consumer's retries are under test

    const prefix = uniqueTopicPrefix()
    const topic = `${prefix}contacts.events`
    const logger = pino({ level: 'silent' })
    const kafka = createKafka({ clientId: 'outage', brokers, logger })
    const admin = kafka.admin()
    await admin.connect()
    await ensureTopics(admin, [topic])
    const producer = createProducer(kafka)
    await producer.connect()
    const deadLetters = await collectEvents(brokers, [`${topic}.dlq`])
    await db.query('CREATE TABLE erased (person_id uuid PRIMARY KEY)')
    const consumer = new EventConsumer({
      kafka,
      db,
      groupId: 'outage-test',
      topics: ['contacts.events'],
      topicPrefix: prefix,
      deadLetterProducer: producer,
      logger,
      partitionsConsumedConcurrently: 3,
      retryBackoff: { initialMs: 100, maxMs: 5000 },
      handlers: {
        'contacts.person.erased': async (event, { client }) => {
          await client.query('INSERT INTO erased VALUES ($1)', [event.data.id])
        },
      },
    })
    t.teardown(async () => {
      await consumer.stop()
      await deadLetters.close()
      await producer.disconnect()
      await admin.disconnect()
      await db.end().catch(() => {})
    })
    await consumer.start()
    const send = (from: number, to: number) =>
      producer.send({
        topic,
        messages: Array.from({ length: to - from + 1 }, (_, i) => ({
          key: person(from + i),
          value: JSON.stringify(erased(from + i)),
        })),
      })
    const applied = async () => Number((await db.query('SELECT count(*) AS n FROM erased')).rows[0].n)

    await send(1, 10)
    await waitFor('the first events applied', async () => (await applied()) === 10)

    await postgres.stop()
    await send(11, 40)
    await sleep(20_000)
    await postgres.start()

    await waitFor('every event applied once Postgres is back', async () => (await applied()) === 40, 60_000)
    t.same(deadLetters.messages, [], 'nothing was dead-lettered')
  },
)
