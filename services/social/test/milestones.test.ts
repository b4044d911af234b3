import t from 'tap'
import { pino } from 'pino'
import { collectEvents, createEnvelope, createKafka, createProducer } from '@ccm/events'
import { waitFor } from '@ccm/testing'
import { build } from './helper.ts'
import { englishOrdinal, stateJoinedTexts } from '../src/services/announcements.ts'

t.test('English ordinals: 1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 101st 111th 112th 113th', async (t) => {
  t.same([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111, 112, 113].map(englishOrdinal), [
    '1st',
    '2nd',
    '3rd',
    '4th',
    '11th',
    '12th',
    '13th',
    '21st',
    '22nd',
    '101st',
    '111th',
    '112th',
    '113th',
  ])
  // Vanuatu, acceding on 5 September 2025, was the 112th State Party (Lithuania's withdrawal took effect on 6 March
  // 2025).
  const texts = stateJoinedTexts('Vanuatu', 112)
  t.match(texts.en, /welcomes Vanuatu as the 112th State Party to the Convention on Cluster Munitions/)
  t.match(texts.fr, /Vanuatu, 112e État partie à la Convention sur les armes à sous-munitions/)
  t.match(texts.es, /Vanuatu como 112\.º Estado Parte de la Convención sobre Municiones en Racimo/)
  t.match(stateJoinedTexts('Nauru', 1).fr, /1er État partie/)
})

t.test(
  'a milestone event yields one submitted announcement for the default channels, even when delivered twice',
  async (t) => {
    const { app, config, channel, as } = await build(t)
    const onX = await channel('x', { default: true })
    const onFacebook = await channel('facebook', { default: true })
    await channel('x') // not a default channel
    const collector = await collectEvents(config.KAFKA_BROKERS, [`${config.KAFKA_TOPIC_PREFIX}social.events`])
    t.teardown(() => collector.close())

    const kafka = createKafka({
      clientId: 'test-campaigns',
      brokers: config.KAFKA_BROKERS,
      logger: pino({ level: 'silent' }),
    })
    const producer = createProducer(kafka)
    await producer.connect()
    t.teardown(() => producer.disconnect())
    const causedByEventId = '6f1c1e9a-4a9e-4d7e-9d3c-0a7e5b2f9c11'
    const milestone = () =>
      createEnvelope({
        source: '/ccm/campaigns',
        type: 'campaigns.milestone.reached',
        subject: 'VUT',
        actor: 'system:campaigns',
        correlationId: 'corr-vut',
        data: {
          kind: 'state_joined',
          state: { iso3: 'VUT', name: 'Vanuatu' },
          statesPartiesCount: 112,
          campaign: null,
          causedByEventId,
        },
      })
    const first = milestone()
    const topic = `${config.KAFKA_TOPIC_PREFIX}campaigns.events`
    // The same envelope twice (a redelivery), then a new envelope for the same milestone (a replay by the producer).
    for (const envelope of [first, first, milestone()]) {
      await producer.send({ topic, messages: [{ key: 'VUT', value: JSON.stringify(envelope) }] })
    }
    const goal = createEnvelope({
      source: '/ccm/campaigns',
      type: 'campaigns.milestone.reached',
      subject: 'camp',
      actor: 'system:campaigns',
      correlationId: 'corr-goal',
      data: {
        kind: 'goal_reached',
        state: null,
        statesPartiesCount: 112,
        campaign: { id: '0f0e0d0c-0b0a-4909-8807-060504030201', name: 'Universalisation 2026' },
        causedByEventId: '1f1c1e9a-4a9e-4d7e-9d3c-0a7e5b2f9c12',
      },
    })
    await producer.send({ topic, messages: [{ key: 'camp', value: JSON.stringify(goal) }] })

    const viewer = await as('viewer')
    const [submitted] = await collector.waitFor((e) => e.type === 'social.post.submitted')
    t.match(submitted, {
      actor: 'system:social',
      correlationid: 'corr-vut',
      data: { status: 'submitted', causedByEventId },
    })
    // Give the replays and the goal event time to be consumed, then count.
    await waitFor(
      'the goal event to be consumed',
      async () => {
        const { rows } = await app.db.query(
          `SELECT count(*)::int AS n FROM processed_events WHERE consumer_group = $1`,
          [`${config.KAFKA_TOPIC_PREFIX}social`],
        )
        return rows[0].n >= 3
      },
      20_000,
    )
    const list = await app.inject({ method: 'GET', url: '/v1/posts?status=submitted', headers: viewer })
    t.equal(list.json().total, 1, 'one draft for one milestone')
    const post = list.json().items[0]
    t.equal(post.text, stateJoinedTexts('Vanuatu', 112).en)
    t.match(post.text, /welcomes Vanuatu as the 112th State Party to the Convention on Cluster Munitions/)
    t.match(post.translations, { fr: { text: /112e État partie/ }, es: { text: /112\.º Estado Parte/ } })
    t.same([...post.channels].sort(), [onX.id, onFacebook.id].sort(), 'the default channels')
    t.equal(post.author, 'system:social')
    t.equal(post.causedByEventId, causedByEventId)

    const approver = await as('editor', 'marie.dupont')
    const approved = await app.inject({
      method: 'POST',
      url: `/v1/posts/${post.id}/approve`,
      headers: approver,
      payload: { version: post.version },
    })
    t.equal(approved.statusCode, 200, 'a person still approves it')
    t.equal(approved.json().status, 'approved', 'with no time set, it waits for publish-now or a time')
  },
)
