import t from 'tap'
import { waitFor } from '@ccm/testing'
import {
  collectEvents,
  createEnvelope,
  ensureTopics,
  EventConsumer,
  readDeadLetters,
  replayDeadLetters,
} from '../src/index.ts'
import { brokers, eventsFixture } from './fixture.ts'

const person = '00000000-0000-4000-8000-000000000001'

t.test(
  'dead letters are listed with their reason, and once the cause is fixed a replay applies them once',
  async (t) => {
    let fixed = false
    const { db, prefix, topic, logger, kafka, admin, producer } = await eventsFixture(t, 'ccm_events', async () => {
      await consumer.stop()
      await deadLetters.close()
    })
    await db.query('CREATE TABLE erased (person_id uuid)')
    const deadLetters = await collectEvents(brokers, [`${topic}.dlq`])
    const consumer = new EventConsumer({
      kafka,
      db,
      groupId: 'dlq-test',
      topics: ['contacts.events'],
      topicPrefix: prefix,
      deadLetterProducer: producer,
      logger,
      handlers: {
        'contacts.person.erased': async (event, { client }) => {
          if (!fixed) throw new Error('handler bug')
          await client.query('INSERT INTO erased VALUES ($1)', [event.data.id])
        },
      },
    })
    await consumer.start()
    const event = createEnvelope({
      source: '/ccm/contacts',
      type: 'contacts.person.erased',
      subject: person,
      data: { id: person },
      actor: 'tester',
      correlationId: 'c-1',
    })
    await producer.send({
      topic,
      messages: [
        { key: person, value: JSON.stringify(event) },
        { key: 'x', value: '{ not json' },
      ],
    })
    await waitFor('two dead letters', async () => deadLetters.messages.length === 2)
    await ensureTopics(admin, [`${prefix}social.events`])
    t.same(await readDeadLetters(kafka, `${prefix}social.events`), [], 'an empty dead-letter topic lists nothing')

    const letters = await readDeadLetters(kafka, topic)
    t.match(
      letters.find((l) => l.id === event.id),
      { type: 'contacts.person.erased', subject: person, headers: { 'dlq-error': 'handler bug' }, time: Date },
    )
    t.match(
      letters.find((l) => l.id === null),
      { type: null, headers: { 'dlq-error': 'message value is not JSON' } },
      'a message that does not parse is listed too',
    )

    fixed = true
    const replay = letters.filter((l) => l.id === event.id)
    await replayDeadLetters(producer, topic, replay)
    await replayDeadLetters(producer, topic, replay) // twice, by mistake
    await waitFor('the replayed event applied', async () => (await db.query('SELECT 1 FROM erased')).rowCount)
    const after = createEnvelope({ ...event, correlationId: 'c-2', data: { id: person } })
    await producer.send({ topic, messages: [{ key: person, value: JSON.stringify(after) }] })
    await waitFor(
      'a later event on the same key applied',
      async () => (await db.query('SELECT 1 FROM erased')).rowCount === 2,
    )
    t.equal(deadLetters.messages.length, 2, 'nothing more was dead-lettered')
    await t.rejects(
      readDeadLetters(kafka, `${prefix}campaing.events`),
      { message: `there is no topic ${prefix}campaing.events.dlq` },
      'a mistyped topic is named',
    )
  },
)
