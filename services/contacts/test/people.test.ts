import t from 'tap'
import { collectEvents } from '@ccm/events'
import { build } from './helper.ts'
import { factories } from './factories.ts'

t.test('people and their roles', async (t) => {
  const built = await build(t)
  const { app, as, config } = built
  const viewer = await as('viewer')
  const editor = await as('editor', 'marie.dupont')
  const make = factories(t, built, editor)
  const collector = await collectEvents(config.KAFKA_BROKERS, [`${config.KAFKA_TOPIC_PREFIX}contacts.events`])
  t.teardown(() => collector.close())
  const mission = await make.organization({
    type: 'permanent_mission',
    name: 'Permanent Mission of Kenya',
    country: 'KEN',
  })
  const ministry = await make.organization({
    type: 'ministry',
    name: 'Ministry of Foreign Affairs of Kenya',
    country: 'KEN',
  })

  t.test('a person is created with accents kept, their role, audit row and event', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/people',
      headers: editor,
      payload: {
        honorific: 'H.E. Mr',
        givenName: 'Jürgen',
        familyName: 'Müller',
        jobTitle: 'Ambassador',
        emails: ['j.muller@example.org', 'jm@example.net'],
        phones: ['+41 22 123 45 67'],
        preferredLanguage: 'fr',
        languages: ['fr', 'de'],
        tags: ['msp-14'],
        notes: 'Prefers mornings',
        consent: { basis: 'public_task', date: '2026-01-15', source: 'list of delegations' },
        affiliations: [{ organizationId: mission.id, role: 'Ambassador', startDate: '2024-09-01', primary: true }],
      },
    })
    t.equal(res.statusCode, 201, res.body)
    const person = res.json()
    t.match(person, {
      givenName: 'Jürgen',
      familyName: 'Müller',
      emails: ['j.muller@example.org', 'jm@example.net'],
      version: 1,
      affiliations: [
        {
          organizationId: mission.id,
          organizationName: 'Permanent Mission of Kenya',
          role: 'Ambassador',
          primary: true,
          current: true,
        },
      ],
    })
    const [event] = await collector.waitFor((e) => e.type === 'contacts.person.created' && e.subject === person.id)
    t.same(event!.data, { id: person.id, organizationIds: [mission.id] }, 'ids only, no personal data')
    const audit = await app.db.query(
      `SELECT action, after->>'familyName' AS family FROM audit_log WHERE entity_id = $1`,
      [person.id],
    )
    t.match(audit.rows, [{ action: 'create', family: 'Müller' }])
  })

  t.test('a primary address belongs to one person only, and the refusal names whose it is', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/people',
      headers: editor,
      payload: { givenName: 'A', familyName: 'B', emails: ['J.Muller@example.org'] },
    })
    t.equal(res.statusCode, 409)
    const [holder] = (await app.inject({ method: 'GET', url: '/v1/people?q=muller', headers: viewer })).json().items
    t.match(res.json(), {
      code: 'CONTACTS_EMAIL_TAKEN',
      detail: `J.Muller@example.org is already the primary address of Jürgen Müller (${holder.id})`,
      person: { id: holder.id, givenName: 'Jürgen', familyName: 'Müller' },
    })
  })

  t.test('a rotation ends one role and starts another; the past role stays visible', async (t) => {
    const person = await make.person({
      givenName: 'Amina',
      familyName: 'Otieno',
      affiliations: [{ organizationId: ministry.id, role: 'Desk officer', startDate: '2020-01-01', primary: true }],
    })
    const [old] = person.affiliations
    const ended = await app.inject({
      method: 'PATCH',
      url: `/v1/people/${person.id}/affiliations/${old.id}`,
      headers: editor,
      payload: { endDate: '2024-08-31', primary: false, version: 1 },
    })
    t.equal(ended.statusCode, 200, ended.body)
    const moved = await app.inject({
      method: 'POST',
      url: `/v1/people/${person.id}/affiliations`,
      headers: editor,
      payload: { organizationId: mission.id, role: 'First Secretary', startDate: '2024-09-01', primary: true },
    })
    t.equal(moved.statusCode, 201, moved.body)
    t.match(moved.json(), {
      version: 3,
      affiliations: [
        { organizationId: mission.id, role: 'First Secretary', current: true, primary: true },
        { organizationId: ministry.id, role: 'Desk officer', current: false, endDate: '2024-08-31' },
      ],
    })
    const stale = await app.inject({
      method: 'PATCH',
      url: `/v1/people/${person.id}/affiliations/${old.id}`,
      headers: editor,
      payload: { role: 'x', version: 1 },
    })
    t.equal(stale.statusCode, 409)
    const atMission = await app.inject({
      method: 'GET',
      url: `/v1/people?organizationId=${mission.id}`,
      headers: viewer,
    })
    t.ok(
      atMission.json().items.some((p: { id: string }) => p.id === person.id),
      'listed under the current organisation',
    )
    const atMinistry = await app.inject({
      method: 'GET',
      url: `/v1/people?organizationId=${ministry.id}`,
      headers: viewer,
    })
    t.notOk(
      atMinistry.json().items.some((p: { id: string }) => p.id === person.id),
      'not under the past one',
    )

    const timeline = await app.inject({ method: 'GET', url: `/v1/people/${person.id}/timeline`, headers: viewer })
    t.same(
      timeline.json().items.map((e: { kind: string; at: string }) => `${e.kind} ${e.at}`),
      ['affiliation_started 2024-09-01', 'affiliation_ended 2024-08-31', 'affiliation_started 2020-01-01'],
    )
    const updates = await collector.waitFor((e) => e.type === 'contacts.person.updated' && e.subject === person.id, 2)
    t.same(updates[0]!.data, { id: person.id, changedFields: ['affiliations'] })
  })

  t.test('a change with the current version applies; a stale one gets 409 and changes nothing', async (t) => {
    const person = await make.person({ givenName: 'Kofi', familyName: 'Mensah' })
    const ok = await app.inject({
      method: 'PATCH',
      url: `/v1/people/${person.id}`,
      headers: { ...editor, 'if-match': 'W/"1"' },
      payload: { jobTitle: 'Counsellor', doNotContact: true },
    })
    t.equal(ok.statusCode, 200, ok.body)
    t.match(ok.json(), { jobTitle: 'Counsellor', doNotContact: true, version: 2 })
    t.equal(ok.headers.etag, '"2"')
    const [event] = await collector.waitFor((e) => e.type === 'contacts.person.updated' && e.subject === person.id)
    t.same(event!.data, { id: person.id, changedFields: ['doNotContact', 'jobTitle'] })

    const stale = await app.inject({
      method: 'PATCH',
      url: `/v1/people/${person.id}`,
      headers: editor,
      payload: { jobTitle: 'Minister', version: 1 },
    })
    t.equal(stale.statusCode, 409)
    t.equal(
      (await app.inject({ method: 'GET', url: `/v1/people/${person.id}`, headers: viewer })).json().jobTitle,
      'Counsellor',
    )
  })

  t.test('lists filter by name, tag, country, language and do-not-contact', async (t) => {
    const byName = await app.inject({ method: 'GET', url: '/v1/people?q=muller', headers: viewer })
    t.same(
      byName.json().items.map((p: { familyName: string }) => p.familyName),
      ['Müller'],
    )
    const byTag = await app.inject({ method: 'GET', url: '/v1/people?tag=msp-14', headers: viewer })
    t.equal(byTag.json().total, 1)
    const byCountry = await app.inject({ method: 'GET', url: '/v1/people?country=KEN', headers: viewer })
    t.equal(byCountry.json().total, 2, 'Müller and Otieno are at Kenyan organisations now')
    const byLanguage = await app.inject({ method: 'GET', url: '/v1/people?language=fr', headers: viewer })
    t.equal(byLanguage.json().total, 1)
    const dnc = await app.inject({ method: 'GET', url: '/v1/people?doNotContact=true', headers: viewer })
    t.same(
      dnc.json().items.map((p: { familyName: string }) => p.familyName),
      ['Mensah'],
    )

    const csv = await app.inject({ method: 'GET', url: '/v1/exports/people.csv?country=KEN', headers: viewer })
    t.equal(csv.statusCode, 200)
    const lines = csv.body.trim().split('\n')
    t.equal(lines.length, 3, 'header and the two people of the filter')
    t.match(lines[0], /^id,honorific,given_name,family_name,job_title,email,/)
    t.match(csv.body, /Jürgen,Müller,Ambassador,j\.muller@example\.org,jm@example\.net/)

    await make.person({
      givenName: "=cmd|' /C calc'!A0",
      familyName: '-Minus',
      jobTitle: '@Ambassador',
      phones: ['+41 22 917 12 34'],
      tags: ['formula-test'],
    })
    const risky = await app.inject({ method: 'GET', url: '/v1/exports/people.csv?tag=formula-test', headers: viewer })
    const cells = risky.body.trim().split('\n')[1]!
    t.match(
      cells,
      /,'=cmd\|' \/C calc'!A0,'-Minus,'@Ambassador,,,'\+41 22 917 12 34,/,
      'no cell starts with a formula character',
    )
  })

  t.test('bad input gets 400 naming the field', async (t) => {
    const cases: [object, string][] = [
      [{ familyName: 'X' }, 'body.givenName'],
      [{ givenName: 'X', familyName: 'Y', emails: ['not-an-email'] }, 'body.emails.0'],
      [{ givenName: 'X', familyName: 'Y', emails: ['a@b.org', 'A@b.org'] }, 'body.emails'],
      [{ givenName: 'X', familyName: 'Y', phones: ['call me'] }, 'body.phones.0'],
      [{ givenName: 'X', familyName: 'Y', preferredLanguage: 'de' }, 'body.preferredLanguage'],
      [
        { givenName: 'X', familyName: 'Y', consent: { basis: 'vibes', date: '2026-01-01', source: 'x' } },
        'body.consent.basis',
      ],
      [
        { givenName: 'X', familyName: 'Y', consent: { basis: 'consent', date: '2026-02-30', source: 'x' } },
        'body.consent.date',
      ],
      [
        { givenName: 'X', familyName: 'Y', affiliations: [{ organizationId: 'nope' }] },
        'body.affiliations.0.organizationId',
      ],
      [
        { givenName: 'X', familyName: 'Y', affiliations: [{ organizationId: '00000000-0000-4000-8000-000000000000' }] },
        'body.affiliations.0.organizationId',
      ],
      [
        {
          givenName: 'X',
          familyName: 'Y',
          affiliations: [{ organizationId: mission.id, startDate: '2024-01-01', endDate: '2023-01-01' }],
        },
        'body.affiliations.0.endDate',
      ],
    ]
    for (const [payload, field] of cases) {
      const res = await app.inject({ method: 'POST', url: '/v1/people', headers: editor, payload })
      t.equal(res.statusCode, 400, `${JSON.stringify(payload)} → ${res.body}`)
      t.ok(
        res.json().invalidParams?.some((p: { name: string }) => p.name === field),
        `names ${field}: ${res.body}`,
      )
    }
    const badIfMatch = await app.inject({
      method: 'PATCH',
      url: '/v1/people/00000000-0000-4000-8000-000000000000',
      headers: { ...editor, 'if-match': 'yesterday' },
      payload: {},
    })
    t.match(badIfMatch.json(), { status: 400, invalidParams: [{ name: 'headers.if-match' }] })
    const missing = await app.inject({
      method: 'GET',
      url: '/v1/people/00000000-0000-4000-8000-000000000000',
      headers: viewer,
    })
    t.match(missing.json(), { status: 404, code: 'CONTACTS_PERSON_NOT_FOUND' })
  })
})
