import t from 'tap'
import { randomUUID } from 'node:crypto'
import { parse } from 'csv-parse/sync'
import { waitFor } from '@ccm/testing'
import { createContactsFeed, snapshots } from '../../campaigns/test/contacts-feed.ts'
import { seedMeetings } from '../src/services/seed.ts'
import { build } from './helper.ts'

t.test(
  'delegations take their capacity from treaty status on the day, and are listed in the ISU’s order',
  async (t) => {
    const { app, config, as } = await build(t)
    const editor = await as('editor', 'marie.dupont')
    const viewer = await as('viewer')
    const feed = await createContactsFeed(config)
    t.teardown(feed.close)
    await seedMeetings(app.db)
    await feed.register(...Object.values(snapshots))
    await waitFor(
      'the states read model',
      async () =>
        (await app.db.query(`SELECT count(*)::int AS n FROM states`)).rows[0].n === Object.keys(snapshots).length,
    )
    const meetingId = async (code: string) =>
      (await app.db.query(`SELECT id FROM meetings WHERE code = $1`, [code])).rows[0].id as string
    const register = (meeting: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: `/v1/meetings/${meeting}/delegations`, headers: editor, payload })
    const capacityAt = async (code: string, iso3: string) => {
      const res = await register(await meetingId(code), { iso3 })
      t.equal(res.statusCode, 201, res.body)
      return res.json().capacity
    }

    t.test('capacity is the treaty status on the meeting’s first day', async (t) => {
      t.equal(await capacityAt('10MSP', 'NGA'), 'signatory', 'Nigeria in 2022: signed 2009, ratified 2023')
      t.equal(await capacityAt('12MSP', 'NGA'), 'state_party', 'Nigeria in 2024')
      t.equal(await capacityAt('12MSP', 'VUT'), 'observer_state', 'Vanuatu in 2024: acceded 5 September 2025')
      t.equal(await capacityAt('13MSP', 'VUT'), 'state_party', 'Vanuatu at 13MSP, deposited eleven days before')
      t.equal(await capacityAt('12MSP', 'LTU'), 'state_party', 'Lithuania before its withdrawal took effect')
      t.equal(await capacityAt('13MSP', 'LTU'), 'observer_state', 'Lithuania after it')
      t.equal(await capacityAt('1MSP', 'KEN'), 'signatory')
      t.equal(await capacityAt('1MSP', 'FIN'), 'observer_state')
      const again = await register(await meetingId('1MSP'), { iso3: 'FIN' })
      t.equal(again.statusCode, 409, 'one delegation per state and meeting')
      const unknown = await register(await meetingId('1MSP'), { iso3: 'ATA' })
      t.equal(unknown.statusCode, 400)
      t.equal(unknown.json().invalidParams[0].name, 'body.iso3')
      const events = await app.db.query(`SELECT aggregate_id FROM outbox WHERE type = 'meetings.delegation.registered'`)
      t.equal(events.rows.length, 8, 'one event per delegation, keyed by the state')
      t.ok(events.rows.every((r) => /^[A-Z]{3}$/.test(r.aggregate_id)))
    })

    t.test('the list of participants: States Parties, signatories, observers, organisations; A to Z', async (t) => {
      const msp12 = await meetingId('12MSP')
      for (const iso3 of ['NOR', 'KEN', 'FIN']) t.equal((await register(msp12, { iso3 })).statusCode, 201)
      for (const [name, type] of [
        ['International Committee of the Red Cross', 'international_organization'],
        ['Cluster Munition Coalition', 'ngo'],
      ]) {
        const res = await register(msp12, { organizationId: randomUUID(), name, type })
        t.equal(res.statusCode, 201, res.body)
      }
      const delegations = (
        await app.inject({ method: 'GET', url: `/v1/meetings/${msp12}/delegations`, headers: viewer })
      ).json().items as { id: string; name: string }[]
      const idOf = (name: string) => delegations.find((d) => d.name === name)!.id
      const people: Record<string, string> = {}
      const add = async (delegation: string, members: [string, string][]) => {
        const res = await app.inject({
          method: 'POST',
          url: `/v1/meetings/${msp12}/delegations/${idOf(delegation)}/members`,
          headers: editor,
          payload: {
            members: members.map(([name, fn]) => ({ personId: (people[name] = randomUUID()), name, function: fn })),
          },
        })
        t.equal(res.statusCode, 201, res.body)
      }
      await add('Norway', [
        ['Ola Nordmann', 'adviser'],
        ['Kari Nordmann', 'head_of_delegation'],
      ])
      await add('Kenya', [['=HYPERLINK("http://evil.example")', 'delegate']])
      await add('Finland', [['Matti Virtanen', 'delegate']])
      await add('Nigeria', [['Amina Bello', 'head_of_delegation']])
      await add('Lithuania', [['Ona Kazlauskienė', 'delegate']])
      await add('Cluster Munition Coalition', [['Tamar Gabelnick', 'delegate']])
      await add('International Committee of the Red Cross', [['Jean Dupont', 'adviser']])

      const twice = await app.inject({
        method: 'POST',
        url: `/v1/meetings/${msp12}/delegations/${idOf('Finland')}/members`,
        headers: editor,
        payload: { members: [{ personId: people['Amina Bello'], name: 'Amina Bello', function: 'delegate' }] },
      })
      t.equal(twice.statusCode, 409, 'a person registered for the meeting in another delegation')

      const csv = await app.inject({ method: 'GET', url: `/v1/meetings/${msp12}/participants.csv`, headers: viewer })
      t.equal(csv.statusCode, 200)
      t.match(csv.headers['content-type'], /text\/csv/)
      const rows = parse(csv.body, { columns: true }) as Record<string, string>[]
      t.same(
        rows.map((r) => `${r.group} | ${r.delegation} | ${r.name}`),
        [
          'States Parties | Lithuania | Ona Kazlauskienė',
          'States Parties | Nigeria | Amina Bello',
          'States Parties | Norway | Kari Nordmann',
          'States Parties | Norway | Ola Nordmann',
          'Signatory States | Kenya | \'=HYPERLINK("http://evil.example")',
          'Observer States | Finland | Matti Virtanen',
          'Organizations | Cluster Munition Coalition | Tamar Gabelnick',
          'Organizations | International Committee of the Red Cross | Jean Dupont',
        ],
      )

      t.test('attendance per day, and the meetings-side timelines of a person and a state', async (t) => {
        const attend = (delegation: string, day: string, personIds: string[]) =>
          app.inject({
            method: 'POST',
            url: `/v1/meetings/${msp12}/delegations/${idOf(delegation)}/attendance`,
            headers: editor,
            payload: { day, personIds },
          })
        const kari = people['Kari Nordmann']!
        t.equal((await attend('Norway', '2024-09-10', [kari, people['Ola Nordmann']!])).statusCode, 200)
        t.equal((await attend('Norway', '2024-09-11', [kari])).statusCode, 200)
        const outside = await attend('Norway', '2024-09-20', [kari])
        t.equal(outside.statusCode, 400)
        t.equal(outside.json().invalidParams[0].name, 'body.day')
        const stranger = await attend('Norway', '2024-09-12', [people['Amina Bello']!])
        t.equal(stranger.statusCode, 400)
        t.equal(stranger.json().invalidParams[0].name, 'body.personIds')
        const events = await app.db.query(
          `SELECT aggregate_id, envelope->'data' AS data FROM outbox WHERE type = 'meetings.attendance.recorded'
          ORDER BY id`,
        )
        t.match(
          events.rows.map((r) => r.data),
          [
            { iso3: 'NOR', capacity: 'state_party', day: '2024-09-10', attendees: 2 },
            { iso3: 'NOR', day: '2024-09-11', attendees: 1 },
          ],
        )
        const person = await app.inject({ method: 'GET', url: `/v1/people/${kari}/meetings`, headers: viewer })
        t.match(person.json().items, [
          {
            meetingId: msp12,
            delegation: 'Norway',
            function: 'head_of_delegation',
            attended: ['2024-09-10', '2024-09-11'],
          },
        ])
        const state = await app.inject({ method: 'GET', url: `/v1/states/nor/meetings`, headers: viewer })
        t.match(state.json().items, [{ meetingId: msp12, capacity: 'state_party', members: 2 }])
        const detail = await app.inject({
          method: 'GET',
          url: `/v1/meetings/${msp12}/delegations/${idOf('Norway')}`,
          headers: viewer,
        })
        t.match(detail.json(), {
          members: 2,
          participants: [{ name: 'Kari Nordmann', attended: ['2024-09-10', '2024-09-11'] }, { name: 'Ola Nordmann' }],
        })
      })
    })
  },
)
