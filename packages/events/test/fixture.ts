import type { Test } from 'tap'
import { pino } from 'pino'
import { auditMigrations, createPool, type Db } from '@ccm/db'
import { createTestDatabase, uniqueTopicPrefix } from '@ccm/testing'
import { createKafka, createProducer, ensureTopics, eventsMigrations } from '../src/index.ts'

export const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')

/**
 * A database (audit log and outbox) and a `contacts.events` topic of the test's own, with a connected
 * admin client and producer; `teardown` runs first when the test ends, then all of these are closed.
 */
export async function eventsFixture(t: Test, name: string, teardown: () => Promise<void> = async () => {}) {
  const database = await createTestDatabase(name, [auditMigrations, eventsMigrations])
  const db: Db = createPool(database.url)
  const prefix = uniqueTopicPrefix()
  const topic = `${prefix}contacts.events`
  const logger = pino({ level: 'silent' })
  const kafka = createKafka({ clientId: name, brokers, logger })
  const admin = kafka.admin()
  await admin.connect()
  await ensureTopics(admin, [topic])
  const producer = createProducer(kafka)
  await producer.connect()
  t.teardown(async () => {
    await teardown()
    await producer.disconnect()
    await admin.disconnect()
    // pg-pool's end() resolves before its connections have closed; the drop may terminate one that is
    // still closing, and an 'error' on a pool with no listener would end the test process.
    db.on('error', () => {})
    await db.end()
    await database.drop()
  })
  return { database, db, prefix, topic, logger, kafka, admin, producer }
}
