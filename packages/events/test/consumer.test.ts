import t, { type Test } from 'tap'
import { waitFor } from '@ccm/testing'
import { collectEvents, createEnvelope, EventConsumer, type EventHandlers } from '../src/index.ts'
import { brokers, eventsFixture } from './fixture.ts'
const DEAD = '00000000-0000-4000-8000-00000000dead'

/** A database and topics of the test's own, a producer, a dead-letter collector, and a consumer not started yet. */
async function setUp(
  t: Test,
  handlers: EventHandlers,
  options: { commitIntervalMs?: number; partitionsConsumedConcurrently?: number } = {},
) {
  const { db, prefix, topic, logger, kafka, admin, producer } = await eventsFixture(t, 'ccm_events', async () => {
    await consumer.stop()
    await deadLetters.close()
  })
  await db.query('CREATE TABLE applied (event_id uuid, iso3 text, txid bigint)')
  const deadLetters = await collectEvents(brokers, [`${topic}.dlq`])
  const consumer = new EventConsumer({
    kafka,
    db,
    groupId: 'events-test',
    source: '/test',
    topics: ['contacts.events'],
    topicPrefix: prefix,
    deadLetterProducer: producer,
    logger,
    handlers,
    retryBackoff: { initialMs: 50, maxMs: 400 },
    ...options,
  })
  // One send, one key: the messages land together in one partition, so one fetch brings them as one batch.
  const send = (...values: string[]) => producer.send({ topic, messages: values.map((value) => ({ key: 'k', value })) })
  const sendTo = (partition: number, value: string) => producer.send({ topic, messages: [{ partition, value }] })
  return { db, topic, consumer, deadLetters, send, sendTo, admin }
}

const erased = (id: string, source = '/ccm/contacts') =>
  createEnvelope({
    source,
    type: 'contacts.person.erased',
    subject: id,
    data: { id },
    actor: 'tester',
    correlationId: 'c-1',
  })
const person = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

t.test('an idempotent consumer with a dead-letter topic', async (t) => {
  let failuresLeft = Infinity
  const { db, topic, consumer, deadLetters, send } = await setUp(t, {
    'contacts.person.erased': async (event, { client }) => {
      if (event.data.id === DEAD && failuresLeft-- > 0) throw new Error('handler bug')
      await client.query('INSERT INTO applied VALUES ($1, $2)', [event.id, event.data.id])
    },
  })
  await consumer.start()
  const good = erased(person(1))

  await send('{ this is not json')
  await send(JSON.stringify({ ...erased(person(2)), data: { id: 'not-a-uuid' } }))
  await send(JSON.stringify(erased(DEAD)))
  await send(JSON.stringify(good))
  await send(JSON.stringify(good)) // delivered twice

  await waitFor(
    'the good event applied',
    async () => (await db.query('SELECT 1 FROM applied WHERE event_id = $1', [good.id])).rowCount,
  )
  const dead = await waitFor('three dead letters', async () => deadLetters.messages.length >= 3 && deadLetters.messages)
  // Each names where it came from; a message that does not parse is sent once its batch is applied.
  const because = (reason: RegExp) => dead.find((m) => reason.test(m.headers['dlq-error'] ?? ''))

  t.match(because(/not JSON/)?.headers, {
    'dlq-error': 'message value is not JSON',
    'dlq-consumer-group': 'events-test',
    'dlq-source-topic': topic,
  })
  t.equal(because(/not JSON/)?.raw, '{ this is not json', 'the original bytes are kept')
  t.ok(because(/^invalid contacts.person.erased data: id:/), 'an event that fails its schema')
  t.ok(because(/^handler bug$/), 'a handler that fails for a reason that does not pass is dead-lettered too')

  const { rows } = await db.query('SELECT count(*)::int AS n FROM applied WHERE event_id = $1', [good.id])
  t.equal(rows[0].n, 1, 'the event delivered twice was applied once')
  const failing = await db.query(
    `SELECT count(*)::int AS n FROM processed_events WHERE event_type = 'contacts.person.erased'`,
  )
  t.equal(failing.rows[0].n, 1, 'the failed attempts left no processed mark behind')
})

t.test('a batch is applied in one transaction; one bad event in it holds back none of the others', async (t) => {
  const { db, consumer, deadLetters, send } = await setUp(t, {
    'contacts.person.erased': async (event, { client, writes }) => {
      if (event.data.id === DEAD) throw new Error('handler bug')
      await client.query('INSERT INTO applied VALUES ($1, $2, txid_current())', [event.id, event.data.id])
      writes.event({
        type: 'contacts.person.erased',
        subject: event.data.id,
        data: event.data,
        actor: 'tester',
        correlationId: 'c-2',
      })
    },
  })
  const first = [erased(person(1)), erased(person(2)), erased(person(3))]
  // Sent before the consumer starts, so its first fetch brings them all: one batch, with a duplicate.
  await send(...[first[0], first[1], first[1], first[2]].map((e) => JSON.stringify(e)))
  await consumer.start()
  await waitFor('the first batch applied', async () => (await db.query('SELECT 1 FROM applied')).rowCount === 3)
  const applied = await db.query('SELECT event_id, txid FROM applied')
  t.same(
    new Set(applied.rows.map((r) => r.event_id)),
    new Set(first.map((e) => e.id)),
    'each event applied once, the duplicate skipped',
  )
  t.equal(new Set(applied.rows.map((r) => r.txid)).size, 1, 'all in one transaction')
  const outbox = await db.query(`SELECT envelope->>'source' AS source, aggregate_id FROM outbox ORDER BY id`)
  t.same(
    outbox.rows,
    first.map((e) => ({ source: '/test', aggregate_id: e.data.id })),
    'their buffered events stored in order before the commit',
  )

  const [before, after] = [erased(person(4)), erased(person(5))]
  await send(JSON.stringify(before), JSON.stringify(erased(DEAD)), '{ not json', JSON.stringify(after))
  const dead = await waitFor('two dead letters', async () => deadLetters.messages.length >= 2 && deadLetters.messages)
  t.same(
    dead.map((m) => m.headers['dlq-error']).sort(),
    ['handler bug', 'message value is not JSON'],
    'only the bad ones are dead-lettered',
  )
  await waitFor(
    'the rest of the second batch applied',
    async () => (await db.query('SELECT 1 FROM applied')).rowCount === 5,
  )
  const rest = await db.query('SELECT iso3 FROM applied WHERE event_id = ANY($1)', [[before.id, after.id]])
  t.equal(rest.rowCount, 2, 'the events on either side of the failing one are applied')
  const marks = await db.query(`SELECT count(*)::int AS n FROM processed_events`)
  t.equal(marks.rows[0].n, 5, 'the failing event left no processed mark, nor did its undone batch')
  const events = await db.query(`SELECT count(*)::int AS n FROM outbox`)
  t.equal(events.rows[0].n, 5, 'nor any buffered event')
})

t.test('a redelivered event is skipped, even by a handler that would fail on it', async (t) => {
  const { db, consumer, deadLetters, send } = await setUp(t, {
    'contacts.person.erased': async (event, { client }) => {
      await client.query('INSERT INTO once (event_id) VALUES ($1)', [event.id]) // a second insert breaks the key
    },
  })
  await db.query('CREATE TABLE once (event_id uuid PRIMARY KEY)')
  await consumer.start()
  const [first, next] = [erased(person(1)), erased(person(2))]
  await send(JSON.stringify(first))
  await waitFor('the event applied', async () => (await db.query('SELECT 1 FROM once')).rowCount === 1)
  // Same key, same partition: once the next event is applied, the redelivered one has been handled.
  await send(JSON.stringify(first), JSON.stringify(next))
  await waitFor('the next event applied', async () => (await db.query('SELECT 1 FROM once')).rowCount === 2)
  t.same(deadLetters.messages, [], 'the redelivered event was skipped, not dead-lettered')
})

t.test('applied offsets are committed to Kafka on a timer, and when the consumer stops', async (t) => {
  const apply: EventHandlers = {
    'contacts.person.erased': async (event, { client }) => {
      await client.query('INSERT INTO applied VALUES ($1, $2)', [event.id, event.data.id])
    },
  }
  for (const [commitIntervalMs, committedBy] of [
    [100, 'the timer'],
    [600_000, 'the stop'],
  ] as const) {
    const { db, topic, consumer, send, admin } = await setUp(t, apply, { commitIntervalMs })
    const committed = async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: 'events-test', topics: [topic] })
      return offsets!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0)
    }
    await consumer.start()
    await send(...[1, 2, 3].map((n) => JSON.stringify(erased(person(n)))))
    await waitFor(
      'three events applied',
      async () => (await db.query('SELECT count(*)::int AS n FROM applied')).rows[0].n === 3,
    )
    if (committedBy === 'the timer') {
      await waitFor('offsets committed', async () => (await committed()) === 3)
    } else {
      t.equal(await committed(), 0, 'not before the timer fires')
      await consumer.stop()
    }
    t.equal(await committed(), 3, `committed by ${committedBy}`)
    await consumer.stop() // the next round's consumer joins the same group
  }
})

t.test('an event whose source is not the service that owns its type is dead-lettered, not applied', async (t) => {
  const { db, consumer, deadLetters, send } = await setUp(t, {
    'contacts.person.erased': async (event, { client }) => {
      await client.query('INSERT INTO applied VALUES ($1, $2)', [event.id, event.data.id])
    },
  })
  await consumer.start()
  const [forged, genuine] = [erased(person(1), '/ccm/social'), erased(person(2))]
  await send(JSON.stringify(forged), JSON.stringify(genuine))
  await waitFor(
    'the genuine event applied',
    async () => (await db.query('SELECT 1 FROM applied WHERE event_id = $1', [genuine.id])).rowCount,
  )
  const [dead] = await waitFor(
    'the forged event dead-lettered',
    async () => deadLetters.messages.length >= 1 && deadLetters.messages,
  )
  t.equal(dead!.headers['dlq-error'], 'contacts.person.erased comes from /ccm/contacts only, not from /ccm/social')
  t.equal(JSON.parse(dead!.raw).id, forged.id)
  t.equal(
    (await db.query('SELECT 1 FROM applied WHERE event_id = $1', [forged.id])).rowCount,
    0,
    'the forged erasure was not applied',
  )
})

t.test(
  'a passing failure pauses its partition and is retried until it succeeds, while other partitions go on',
  async (t) => {
    let deadlocksLeft = 6
    const { db, consumer, deadLetters, sendTo } = await setUp(
      t,
      {
        'contacts.person.erased': async (event, { client }) => {
          if (event.data.id === DEAD && deadlocksLeft-- > 0)
            throw Object.assign(new Error('deadlock detected'), { code: '40P01' })
          await client.query('INSERT INTO applied VALUES ($1, $2, txid_current())', [event.id, event.data.id])
        },
      },
      { partitionsConsumedConcurrently: 3 },
    )
    await consumer.start()
    const [stuck, behind, elsewhere] = [erased(DEAD), erased(person(1)), erased(person(2))]
    await sendTo(0, JSON.stringify(stuck))
    await sendTo(0, JSON.stringify(behind))
    await waitFor('a few failed attempts', async () => deadlocksLeft < 4)
    await sendTo(1, JSON.stringify(elsewhere))
    await waitFor(
      'the other partition applied',
      async () => (await db.query('SELECT 1 FROM applied WHERE event_id = $1', [elsewhere.id])).rowCount,
    )
    t.ok(deadlocksLeft > 0, 'while the failing partition still waits')
    await waitFor(
      'the failing partition applied, in order',
      async () =>
        (await db.query('SELECT 1 FROM applied WHERE event_id = ANY($1)', [[stuck.id, behind.id]])).rowCount === 2,
    )
    const order = await db.query('SELECT event_id FROM applied WHERE event_id = ANY($1) ORDER BY txid', [
      [stuck.id, behind.id],
    ])
    t.same(
      order.rows.map((r) => r.event_id),
      [stuck.id, behind.id],
      'in its order',
    )
    t.same(deadLetters.messages, [], 'nothing dead-lettered')
  },
)
