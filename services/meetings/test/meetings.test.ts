import t from 'tap'
import { seedMeetings } from '../src/services/seed.ts'
import { build } from './helper.ts'

t.test('the formal meetings are seeded once, and meetings are kept with their documents', async (t) => {
  const { app, as } = await build(t)
  const editor = await as('editor', 'marie.dupont')
  const viewer = await as('viewer')

  t.equal(await seedMeetings(app.db), 16, '13 MSPs and 3 Review Conferences')
  t.equal(await seedMeetings(app.db), 0, 'seeding again adds nothing')
  const outbox = await app.db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'meetings.meeting.scheduled'`)
  t.equal(outbox.rows[0].n, 16, 'one meetings.meeting.scheduled per meeting, not per run')

  const msps = (await app.inject({ method: 'GET', url: '/v1/meetings?kind=msp&limit=100', headers: viewer })).json()
  t.equal(msps.total, 13)
  t.match(msps.items[0], {
    code: '13MSP',
    number: 13,
    city: 'Geneva',
    startsOn: '2025-09-16',
    endsOn: '2025-09-19',
    presidingIso3: 'PHL',
    status: 'held',
  })
  t.match(msps.items.at(-1), { code: '1MSP', city: 'Vientiane', startsOn: '2010-11-09', presidingIso3: 'LAO' })
  const conferences = (
    await app.inject({ method: 'GET', url: '/v1/meetings?kind=review_conference', headers: viewer })
  ).json()
  t.same(
    conferences.items.map((m: { code: string; status: string }) => `${m.code} ${m.status}`),
    ['3RC planned', '2RC held', '1RC held'],
  )

  t.test('a meeting is created, read, changed with its version, and refuses a stale one', async (t) => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: editor,
      payload: {
        kind: 'intersessional',
        title: 'Intersessional meeting 2026',
        city: 'Geneva',
        country: 'che',
        startsOn: '2026-05-04',
        endsOn: '2026-05-05',
      },
    })
    t.equal(created.statusCode, 201, created.body)
    const meeting = created.json()
    t.match(meeting, { country: 'CHE', status: 'planned', version: 1, createdBy: 'marie.dupont' })
    const changed = await app.inject({
      method: 'PATCH',
      url: `/v1/meetings/${meeting.id}`,
      headers: editor,
      payload: { status: 'registration_open', registrationDeadline: '2026-04-20', version: 1 },
    })
    t.equal(changed.statusCode, 200, changed.body)
    t.match(changed.json(), { status: 'registration_open', version: 2 })
    const stale = await app.inject({
      method: 'PATCH',
      url: `/v1/meetings/${meeting.id}`,
      headers: editor,
      payload: { status: 'held', version: 1 },
    })
    t.equal(stale.statusCode, 409)
    const audit = await app.db.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [meeting.id])
    t.same(
      audit.rows.map((r) => r.action),
      ['meeting.created', 'meeting.updated'],
    )
    const got = await app.inject({ method: 'GET', url: `/v1/meetings/${meeting.id}`, headers: viewer })
    t.match(got.json(), { status: 'registration_open' })
  })

  t.test('bad input is a 400 naming the field, and nothing is written', async (t) => {
    const before = (await app.db.query(`SELECT count(*)::int AS n FROM meetings`)).rows[0].n
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'party', title: 'X' }, 'body.kind'],
      [{ kind: 'msp', title: 'X', startsOn: '2026-02-30' }, 'body.startsOn'],
      [{ kind: 'msp', title: 'X', startsOn: '2026-09-10', endsOn: '2026-09-01' }, 'body.endsOn'],
      [{ kind: 'msp', title: 'X', presidingIso3: 'Laos' }, 'body.presidingIso3'],
      [{ kind: 'msp' }, 'body.title'],
    ]
    for (const [payload, field] of cases) {
      const res = await app.inject({ method: 'POST', url: '/v1/meetings', headers: editor, payload })
      t.equal(res.statusCode, 400, field)
      t.match(res.headers['content-type'], /application\/problem\+json/)
      t.ok(
        res.json().invalidParams.some((p: { name: string }) => p.name === field),
        `${field} named: ${res.body}`,
      )
    }
    const notAnId = await app.inject({ method: 'GET', url: '/v1/meetings/13MSP', headers: viewer })
    t.equal(notAnId.statusCode, 400)
    t.equal(notAnId.json().invalidParams[0].name, 'params.id')
    t.equal((await app.db.query(`SELECT count(*)::int AS n FROM meetings`)).rows[0].n, before)
  })

  t.test('documents carry their UN symbol and a URL per language, once per symbol', async (t) => {
    const msp13 = msps.items[0]
    const add = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: `/v1/meetings/${msp13.id}/documents`, headers: editor, payload })
    const document = {
      symbol: 'CCM/MSP/2025/1',
      title: 'Provisional agenda',
      kind: 'agenda',
      languages: [
        { language: 'en', url: 'https://www.clusterconvention.org/files/CCM_MSP_2025_1_E.pdf' },
        { language: 'fr', url: 'https://www.clusterconvention.org/files/CCM_MSP_2025_1_F.pdf' },
      ],
    }
    t.equal((await add(document)).statusCode, 201)
    t.equal((await add(document)).statusCode, 409, 'the same symbol twice')
    const script = await add({
      ...document,
      symbol: 'CCM/MSP/2025/2',
      languages: [{ language: 'en', url: 'javascript:alert(1)' }],
    })
    t.equal(script.statusCode, 400)
    t.equal(script.json().invalidParams[0].name, 'body.languages.0.url')
    const listed = await app.inject({ method: 'GET', url: `/v1/meetings/${msp13.id}/documents`, headers: viewer })
    t.match(listed.json().items, [{ symbol: 'CCM/MSP/2025/1', languages: [{ language: 'en' }, { language: 'fr' }] }])
  })
})
