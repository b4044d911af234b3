import t from 'tap'
import { randomUUID } from 'node:crypto'
import type { Queryable } from '@ccm/db'
import { waitFor } from '@ccm/testing'
import { createContactsFeed, snapshots, waitCaughtUp } from '../../campaigns/test/contacts-feed.ts'
import { seedMeetings } from '../src/services/seed.ts'
import { build } from './helper.ts'

/** Which of `values` any text, json, uuid or array column of any table still holds (case aside). */
async function leftovers(db: Queryable, values: string[]): Promise<string[]> {
  const { rows: columns } = await db.query(
    `SELECT c.table_name, c.column_name
       FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE t.table_type = 'BASE TABLE' AND c.table_schema = 'public'
        AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'uuid', 'ARRAY')`,
  )
  const found: string[] = []
  for (const { table_name: table, column_name: column } of columns) {
    const { rows } = await db.query(
      `SELECT v FROM unnest($1::text[]) v
        WHERE EXISTS (SELECT 1 FROM "${table}" WHERE strpos(lower("${column}"::text), lower(v)) > 0)`,
      [values],
    )
    found.push(...rows.map((r) => `${table}.${column}: ${r.v}`))
  }
  return found
}

t.test('merged people’s records move to the survivor; an erased person leaves nothing here', async (t) => {
  const { app, config, as } = await build(t)
  const marie = await as('editor', 'marie.dupont')
  const paolo = await as('editor', 'paolo.rossi')
  const feed = await createContactsFeed(config)
  t.teardown(feed.close)
  await seedMeetings(app.db)
  await feed.register(snapshots.KEN)
  await waitFor('the states read model', async () => (await app.db.query(`SELECT 1 FROM states`)).rows.length === 1)
  const meetingOf = async (code: string) =>
    (await app.db.query(`SELECT id FROM meetings WHERE code = $1`, [code])).rows[0].id as string
  const [msp12, msp13] = [await meetingOf('12MSP'), await meetingOf('13MSP')]
  const inject = (method: 'POST' | 'PUT' | 'PATCH' | 'GET', url: string, payload?: object, headers = marie) =>
    app.inject({ method, url, headers, payload })
  const delegate = async (meeting: string, personId: string, name: string, day: string) => {
    const delegation = (await inject('POST', `/v1/meetings/${meeting}/delegations`, { iso3: 'KEN' })).json()
    const base = `/v1/meetings/${meeting}/delegations/${delegation.id}`
    const added = await inject('POST', `${base}/members`, { members: [{ personId, name, function: 'delegate' }] })
    t.equal(added.statusCode, 201, added.body)
    t.equal((await inject('POST', `${base}/attendance`, { day, personIds: [personId] })).statusCode, 200)
    return base
  }

  const wanjiru = randomUUID()
  const duplicate = randomUUID()
  const kenya13 = await delegate(msp13, wanjiru, 'Wanjiru Odhiambo-Kamau', '2025-09-16')
  await inject('POST', `${kenya13}/members`, {
    members: [{ personId: randomUUID(), name: 'Otieno Kariuki', function: 'head_of_delegation' }],
  })
  await delegate(msp12, duplicate, 'W. Odhiambo-Kamau', '2024-09-10')
  t.equal(
    (await inject('PUT', `/v1/meetings/${msp13}/sponsorship/budget`, { amountMinor: 10_000_00, currency: 'CHF' }))
      .statusCode,
    200,
  )
  const application = (
    await inject('POST', `/v1/meetings/${msp13}/sponsorship/applications`, {
      personId: duplicate,
      name: 'Wanjiru Odhiambo-Kamau',
      iso3: 'KEN',
      function: 'Director, Disarmament Division',
      motivation: 'Leads the ratification file in Nairobi',
    })
  ).json()
  const decided = await inject(
    'POST',
    `/v1/meetings/${msp13}/sponsorship/applications/${application.id}/decision`,
    { decision: 'approved', reason: 'Wanjiru Odhiambo-Kamau leads the file' },
    paolo,
  )
  t.equal(decided.statusCode, 200, decided.body)
  t.equal(
    (
      await inject('PATCH', `/v1/meetings/${msp13}/sponsorship/applications/${application.id}`, {
        travelBooked: true,
        travelCostMinor: 980_00,
        attendanceConfirmed: true,
      })
    ).statusCode,
    200,
  )

  await feed.emit('contacts.person.merged', wanjiru, { survivorId: wanjiru, mergedIds: [duplicate] })
  await waitCaughtUp(config, `${config.KAFKA_TOPIC_PREFIX}meetings`)
  const timeline = (await inject('GET', `/v1/people/${wanjiru}/meetings`)).json().items
  t.same(
    timeline.map((e: { title: string }) => e.title),
    ['Thirteenth Meeting of States Parties', 'Twelfth Meeting of States Parties'],
    'the duplicate’s registration is the survivor’s now',
  )
  t.equal((await inject('GET', `/v1/people/${duplicate}/meetings`)).json().items.length, 0)
  t.match((await inject('GET', `/v1/meetings/${msp13}/sponsorship/applications/${application.id}`)).json(), {
    personId: wanjiru,
  })

  await feed.emit('contacts.person.erased', duplicate, { id: duplicate })
  await feed.emit('contacts.person.erased', wanjiru, { id: wanjiru })
  await waitCaughtUp(config, `${config.KAFKA_TOPIC_PREFIX}meetings`)
  t.same(
    await leftovers(app.db, [wanjiru, duplicate, 'Wanjiru', 'Odhiambo', 'Nairobi']),
    [],
    'no id, name or motivation of hers anywhere in the database',
  )
  t.test('what stays is anonymous: the money, the decision, the other delegate', async (t) => {
    const summary = (await inject('GET', `/v1/meetings/${msp13}/sponsorship`)).json()
    t.match(summary, { committedMinor: 980_00, spentMinor: 980_00, applications: { approved: 1 } })
    const kept = (await inject('GET', `/v1/meetings/${msp13}/sponsorship/applications/${application.id}`)).json()
    t.match(kept, {
      personId: null,
      personName: null,
      motivation: null,
      decisionReason: '[erased] leads the file',
      status: 'approved',
    })
    const csv = (await inject('GET', `/v1/meetings/${msp13}/participants.csv`)).body
    t.match(csv, /Otieno Kariuki/)
    t.notMatch(csv, /Wanjiru/)
  })
})
