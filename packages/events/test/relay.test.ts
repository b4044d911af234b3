import t from 'tap'
import { waitFor } from '@ccm/testing'
import { collectEvents, OutboxRelay, withWrites, type NewEvent } from '../src/index.ts'
import { topicOf } from '../src/catalogue/index.ts'
import { outboxStatement } from '../src/outbox.ts'
import { brokers, eventsFixture } from './fixture.ts'

// The relay publishes what its own transactions hand over after commit, and reads the rest from the
// outbox. Whichever way an event goes out, it goes out once, and one aggregate's events keep their order.
t.test('the outbox relay', async (t) => {
  const { database, db, prefix, topic, logger, producer } = await eventsFixture(t, 'ccm_events_relay', async () => {
    await relay.stop()
    await collector.close()
  })
  const collector = await collectEvents(brokers, [topic])
  // A long poll: what goes out within a test went out on a hand-over or a notification, not on the timer.
  const relay = new OutboxRelay({
    db,
    connectionString: database.url,
    producer,
    topicPrefix: prefix,
    logger,
    pollMs: 60_000,
  })

  const erased = (person: string, n: number): NewEvent<'contacts.person.erased'> => ({
    type: 'contacts.person.erased',
    subject: person,
    data: { id: person },
    actor: 'tester',
    correlationId: `c-${n}`,
  })
  const person = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
  const correlationsOf = (subject: string) =>
    collector.messages.filter((m) => m.key === subject).map((m) => m.event!.correlationid)
  const commit = (event: NewEvent<'contacts.person.erased'>) =>
    withWrites(db, '/test', async ({ writes }) => writes.event(event), relay)
  const unpublished = async () =>
    (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)).rows[0].n as number

  t.test('what was in the outbox before the start goes out first, then what is handed over, in order', async (t) => {
    const key = person(1)
    // Stored while no relay runs: a crash left them behind.
    await withWrites(db, '/test', async ({ writes }) => {
      writes.event(erased(key, 1))
      writes.event(erased(key, 2))
    })
    relay.start()
    await waitFor(
      'the relay to hold its lock',
      async () => (await db.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory'`)).rowCount === 1,
    )
    for (let n = 3; n <= 6; n++) await commit(erased(key, n))
    await collector.waitFor((e) => e.subject === key, 6)
    t.same(correlationsOf(key), ['c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-6'], 'once each, in order')
    await waitFor('all marked published', async () => (await unpublished()) === 0)
  })

  t.test('events another writer stores go out on its notification', async (t) => {
    const key = person(2)
    // No hand-over: the relay reads it from the outbox.
    await withWrites(db, '/test', async ({ writes }) => writes.event(erased(key, 7)))
    await commit(erased(key, 8))
    await collector.waitFor((e) => e.subject === key, 2)
    t.same(correlationsOf(key), ['c-7', 'c-8'])
  })

  t.test(
    'a hand-over goes out after what another writer stored before it, even before its notification arrives',
    async (t) => {
      const key = person(5)
      // Another writer's row whose notification is still on its way: stored here without one.
      const {
        envelopes: [earlier],
      } = outboxStatement('/test', [erased(key, 11)])
      await db.query(
        `INSERT INTO outbox (event_id, aggregate_type, aggregate_id, type, topic, envelope)
         VALUES ($1, 'person', $2, $3, $4, $5)`,
        [earlier!.id, key, earlier!.type, topicOf(earlier!.type), JSON.stringify(earlier)],
      )
      await commit(erased(key, 12))
      await collector.waitFor((e) => e.subject === key, 2)
      t.same(correlationsOf(key), ['c-11', 'c-12'])
    },
  )

  t.test('many transactions at once: each event exactly once, marked published', async (t) => {
    const keys = Array.from({ length: 20 }, (_, i) => person(100 + i))
    await Promise.all(keys.map((key, i) => commit(erased(key, 100 + i))))
    await collector.waitFor((e) => keys.includes(e.subject), keys.length)
    await waitFor('all marked published', async () => (await unpublished()) === 0)
    // Anything sent twice would have arrived by the time the marks are in.
    const counts = keys.map((key) => collector.messages.filter((m) => m.key === key).length)
    t.same(
      counts,
      keys.map(() => 1),
    )
  })

  t.test('a rolled-back transaction hands nothing over', async (t) => {
    const key = person(3)
    await t.rejects(
      withWrites(
        db,
        '/test',
        async ({ client, writes }) => {
          writes.event(erased(key, 9))
          await client.query('SELECT 1/0')
        },
        relay,
      ),
    )
    await commit(erased(person(4), 10))
    await collector.waitFor((e) => e.subject === person(4))
    t.same(correlationsOf(key), [], 'the event of the rolled-back transaction never went out')
  })

  t.test('published marks are gathered into one UPDATE, and the last ones sent on stop', async (t) => {
    const keys = Array.from({ length: 5 }, (_, i) => person(200 + i))
    for (const [i, key] of keys.entries()) await commit(erased(key, 200 + i))
    await collector.waitFor((e) => keys.includes(e.subject), keys.length)
    await relay.stop()
    const {
      rows: [marks],
    } = await db.query(
      `SELECT count(*) FILTER (WHERE published_at IS NULL)::int AS unmarked,
              count(DISTINCT published_at)::int AS updates
         FROM outbox WHERE aggregate_id = ANY($1)`,
      [keys],
    )
    t.equal(marks.unmarked, 0, 'every published row is marked once the relay has stopped')
    // now() is the UPDATE's: one per mark sent. Five hand-overs within one gathering, or two at worst.
    t.ok(marks.updates <= 2, `five published events marked in ${marks.updates} UPDATE(s)`)
  })
})
