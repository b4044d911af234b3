import t from 'tap'
import type { Test } from 'tap'
import { collectEvents } from '@ccm/events'
import { bearer, createTestDatabase, testEnv, waitFor } from '@ccm/testing'
import { buildApp as buildContactsApp } from '../../contacts/src/app.ts'
import { readConfig as readContactsConfig } from '../../contacts/src/config.ts'
import { migrations as contactsMigrations } from '../../contacts/src/migrations.ts'
import { seedStates } from '../../contacts/src/services/seed.ts'
import { build } from './helper.ts'

/** The real contacts service, seeded with its 197 states, publishing on the campaigns test's topics. */
async function startContacts(t: Test, topicPrefix: string) {
  const database = await createTestDatabase('ccm_contacts', contactsMigrations)
  const config = readContactsConfig(testEnv({ CONTACTS_DATABASE_URL: database.url, KAFKA_TOPIC_PREFIX: topicPrefix }))
  const app = await buildContactsApp(config)
  await seedStates(app.db)
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await database.drop()
  })
  return { app, editor: { authorization: await bearer(config, 'editor', 'marie.dupont') } }
}

t.test('from the contacts service to a campaign target, over Kafka only', async (t) => {
  const campaigns = await build(t)
  const contacts = await startContacts(t, campaigns.config.KAFKA_TOPIC_PREFIX)
  const editor = await campaigns.as('editor', 'marie.dupont')
  const milestones = await collectEvents(campaigns.config.KAFKA_BROKERS, [
    `${campaigns.config.KAFKA_TOPIC_PREFIX}campaigns.events`,
  ])
  t.teardown(milestones.close)

  await waitFor(
    'the 197 registered states',
    async () => (await campaigns.app.db.query(`SELECT count(*)::int AS n FROM states`)).rows[0].n === 197,
    30_000,
  )
  const campaign = (
    await campaigns.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: editor,
      payload: {
        name: 'African signatories 2026',
        objective: 'Ratifications by the African signatories',
        owner: 'marie.dupont',
        status: 'active',
      },
    })
  ).json()
  const added = await campaigns.app.inject({
    method: 'POST',
    url: `/v1/campaigns/${campaign.id}/targets`,
    headers: editor,
    payload: { filter: { status: 'signatory', region: 'African' } },
  })
  t.ok(
    added.json().added.some((a: { iso3: string }) => a.iso3 === 'KEN'),
    'Kenya is an African signatory in the registry',
  )
  const stage = async (iso3: string) =>
    (
      await campaigns.app.inject({
        method: 'GET',
        url: `/v1/campaigns/${campaign.id}/targets/${iso3}`,
        headers: editor,
      })
    ).json().stage

  t.test('a ratification recorded in contacts moves the target to joined, with the registry count', async (t) => {
    const today = new Date().toISOString().slice(0, 10)
    const res = await contacts.app.inject({
      method: 'POST',
      url: '/v1/states/KEN/treaty-events',
      headers: contacts.editor,
      payload: { kind: 'ratification', date: today },
    })
    t.equal(res.statusCode, 201, res.body)
    await waitFor('Kenya to be joined', async () => (await stage('KEN')) === 'joined')
    const [milestone] = await milestones.waitFor((e) => e.type === 'campaigns.milestone.reached')
    t.match(milestone!.data, {
      kind: 'state_joined',
      state: { iso3: 'KEN', name: 'Kenya' },
      statesPartiesCount: 113,
      campaign: { id: campaign.id },
    })
  })

  t.test('a meeting logged in contacts makes the target engaged', async (t) => {
    const res = await contacts.app.inject({
      method: 'POST',
      url: '/v1/interactions',
      headers: contacts.editor,
      payload: {
        kind: 'meeting',
        occurredAt: new Date().toISOString(),
        summary: 'Bilateral on the ratification timetable',
        states: ['UGA'],
      },
    })
    t.equal(res.statusCode, 201, res.body)
    await waitFor('Uganda to be engaged', async () => (await stage('UGA')) === 'engaged')
    const uganda = (
      await campaigns.app.inject({ method: 'GET', url: `/v1/campaigns/${campaign.id}/targets/UGA`, headers: editor })
    ).json()
    t.match(uganda.lastContact, { kind: 'meeting', interactionId: res.json().id })
  })
})
