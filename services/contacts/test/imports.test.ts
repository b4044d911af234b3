import t from 'tap'
import { collectEvents } from '@ccm/events'
import { waitFor } from '@ccm/testing'
import { build } from './helper.ts'
import { factories } from './factories.ts'

const header = 'given_name,family_name,email,organization,role,phone,preferred_language,tags'
const badRow = 5000

/**
 * 10,000 people: every tenth at the Kenyan mission (named by its short name, in another case), row 7 someone already
 * known.
 */
function peopleCsv(options: { bad: boolean }): string {
  const lines = [header]
  for (let i = 1; i <= 10_000; i++) {
    const email =
      i === 7 ? 'Known.Person@example.org' : i === badRow && options.bad ? 'not-an-address' : `p${i}@import.example`
    const org = i % 10 === 0 ? 'pm kenya,Delegate' : ','
    lines.push(
      `Given${i},"Family ${i}, Jr",${email},${org},+41 22 000 ${String(i).padStart(4, '0')},fr,imported;batch-1`,
    )
  }
  return lines.join('\n')
}

t.test('CSV import of people', async (t) => {
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
    shortName: 'PM Kenya',
    country: 'KEN',
  })
  const known = await make.person({
    givenName: 'Old',
    familyName: 'Name',
    emails: ['known.person@example.org'],
    tags: ['vip'],
  })
  const countPeople = async () => (await app.db.query(`SELECT count(*)::int AS n FROM people`)).rows[0].n as number
  const csv = (body: string, url = '/v1/imports/people', headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers: { ...editor, 'content-type': 'text/csv', ...headers }, payload: body })

  t.test(
    'a dry run of 10,000 rows reports each row, rejects the bad one with its reason, and changes nothing',
    async (t) => {
      const res = await csv(peopleCsv({ bad: true }), '/v1/imports/people?dryRun=true')
      t.equal(res.statusCode, 200, res.body.slice(0, 500))
      const report = res.json()
      t.match(report, { dryRun: true, status: 'succeeded', totalRows: 10_000, created: 9_998, updated: 1, rejected: 1 })
      t.equal(report.rows.length, 10_000)
      t.same(report.rows[badRow - 1], {
        row: badRow,
        action: 'reject',
        email: 'not-an-address',
        personId: null,
        reasons: [{ column: 'email', reason: 'not-an-address is not an email address' }],
      })
      t.match(report.rows[6], { row: 7, action: 'update', personId: known.id })
      t.match(report.rows[0], { row: 1, action: 'create', email: 'p1@import.example' })
      t.equal(await countPeople(), 1, 'nothing was written')
    },
  )

  t.test('the real run with a bad row is refused whole, with the reason, writing nothing', async (t) => {
    const res = await csv(peopleCsv({ bad: true }))
    t.equal(res.statusCode, 422)
    t.match(res.json(), { dryRun: false, status: 'rejected', rejected: 1 })
    t.match(res.json().rows[badRow - 1], { action: 'reject', reasons: [{ column: 'email' }] })
    t.equal(await countPeople(), 1)
    const outbox = await app.db.query(`SELECT count(*)::int AS n FROM outbox WHERE type LIKE 'contacts.person.%'`)
    t.equal(outbox.rows[0].n, 1, 'only the event of the person made before')
  })

  t.test('a database failure partway through the writing leaves nothing written, and the job failed', async (t) => {
    // A statement of a later chunk fails in the database, while the chunk after it is already on its way.
    await app.db.query(`CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused on purpose: %', NEW.given_name; END $$`)
    await app.db.query(`CREATE TRIGGER refuse_row BEFORE INSERT ON people FOR EACH ROW
      WHEN (NEW.given_name = 'Given${badRow}') EXECUTE FUNCTION refuse_row()`)
    t.teardown(async () => {
      await app.db.query(`DROP TRIGGER refuse_row ON people`)
      await app.db.query(`DROP FUNCTION refuse_row()`)
    })
    const res = await csv(peopleCsv({ bad: false }), '/v1/imports/people', { prefer: 'respond-async' })
    t.equal(res.statusCode, 202, res.body.slice(0, 500))
    const done = await waitFor(
      'the import to end',
      async () => {
        const job = (await app.inject({ method: 'GET', url: res.headers.location as string, headers: viewer })).json()
        return job.status !== 'running' ? job : null
      },
      60_000,
    )
    t.match(done, { status: 'failed', created: 0, updated: 0 })
    t.equal(await countPeople(), 1, 'no person of the file')
    const written = await app.db.query(
      `SELECT (SELECT count(*) FROM outbox WHERE type LIKE 'contacts.person.%')::int AS events,
              (SELECT count(*) FROM audit_log WHERE action LIKE 'import.%')::int AS audits,
              (SELECT count(*) FROM person_emails)::int AS emails`,
    )
    t.same(written.rows[0], { events: 1, audits: 0, emails: 1 }, 'no email, audit row or event of the file')
  })

  t.test('the corrected file imports all 10,000 rows in one go, reporting progress while it runs', async (t) => {
    const started = Date.now()
    const res = await csv(peopleCsv({ bad: false }), '/v1/imports/people', { prefer: 'respond-async' })
    t.equal(res.statusCode, 202, res.body.slice(0, 500))
    t.equal(res.headers.location, `/v1/imports/${res.json().id}`)
    t.match(res.json(), { status: 'running', totalRows: 10_000 })
    const progress: number[] = []
    const done = await waitFor(
      'the import to finish',
      async () => {
        const job = (await app.inject({ method: 'GET', url: res.headers.location as string, headers: viewer })).json()
        progress.push(job.processedRows)
        return job.status !== 'running' ? job : null
      },
      60_000,
    )
    t.comment(`10,000 rows imported in ${Date.now() - started} ms; progress seen: ${[...new Set(progress)].join(', ')}`)
    t.match(done, { status: 'succeeded', created: 9_999, updated: 1, rejected: 0, processedRows: 10_000 })
    t.same(
      progress,
      [...progress].sort((a, b) => a - b),
      'progress only goes up',
    )
    t.equal(await countPeople(), 10_000)

    const updated = (await app.inject({ method: 'GET', url: `/v1/people/${known.id}`, headers: viewer })).json()
    t.match(updated, {
      givenName: 'Given7',
      familyName: 'Family 7, Jr',
      tags: ['vip', 'imported', 'batch-1'],
      preferredLanguage: 'fr',
      version: 2,
    })
    const atMission = await app.inject({
      method: 'GET',
      url: `/v1/people?organizationId=${mission.id}&limit=1`,
      headers: viewer,
    })
    t.equal(atMission.json().total, 1_000, 'every tenth row joined the mission, matched by its short name')
    t.match(atMission.json().items[0].affiliations, [{ role: 'Delegate', primary: true }])

    const audit = await app.db.query(
      `SELECT action, count(*)::int AS n FROM audit_log
        WHERE entity_type = 'person' AND action LIKE 'import.%' GROUP BY action ORDER BY action`,
    )
    t.same(
      audit.rows,
      [
        { action: 'import.create', n: 9_999 },
        { action: 'import.update', n: 1 },
      ],
      'one audit row per person written',
    )
    const [event] = await collector.waitFor((e) => e.type === 'contacts.person.updated' && e.subject === known.id)
    t.same((event!.data as { changedFields: string[] }).changedFields, [
      'familyName',
      'givenName',
      'phones',
      'preferredLanguage',
      'tags',
    ])
    const outbox = await app.db.query(
      `SELECT type, count(*)::int AS n FROM outbox WHERE type LIKE 'contacts.person.%' GROUP BY type ORDER BY type`,
    )
    t.same(
      outbox.rows,
      [
        { type: 'contacts.person.created', n: 10_000 },
        { type: 'contacts.person.updated', n: 1 },
      ],
      'one event per person, in the same transaction',
    )
  })

  t.test('running the same file again changes nothing', async (t) => {
    const res = await csv(peopleCsv({ bad: false }))
    t.equal(res.statusCode, 200)
    t.match(res.json(), { status: 'succeeded', created: 0, updated: 0 })
    t.ok(res.json().rows.every((r: { action: string }) => r.action === 'unchanged'))
  })

  t.test('a file that cannot be read as people gets 400 naming the column', async (t) => {
    const missing = await csv('given_name,family_name\nA,B')
    t.match(missing.json(), { status: 400, invalidParams: [{ name: 'body.email' }] })
    const unknown = await csv(`${header},shoe_size\nA,B,a@b.org,,,,,,42`)
    t.match(unknown.json(), { status: 400, invalidParams: [{ name: 'body.shoe_size' }] })
    const broken = await csv(`${header}\n"A,B`)
    t.match(broken.json(), { status: 400, invalidParams: [{ name: 'body' }] })
    const empty = await csv(header)
    t.match(empty.json(), { status: 400, invalidParams: [{ name: 'body' }] })
    const badQuery = await csv(`${header}\nA,B,a@b.org,,,,,`, '/v1/imports/people?dryRun=maybe')
    t.match(badQuery.json(), { status: 400, invalidParams: [{ name: 'query.dryRun' }] })
    const rowErrors = await csv(`${header}\n,B,a@b.org,Nowhere Inc,Boss,phone?,de,`, '/v1/imports/people?dryRun=true')
    t.same(
      rowErrors.json().rows[0].reasons.map((r: { column: string }) => r.column),
      ['given_name', 'organization', 'phone', 'preferred_language'],
    )
    const nul = await csv(`${header}\nA,B\u0000C,nul@b.org,,,,,`)
    t.equal(nul.statusCode, 422, 'a row Postgres cannot store is refused, not a 500')
    t.same(nul.json().rows[0].reasons, [{ column: 'family_name', reason: 'must not contain U+0000' }])
    const json = await app.inject({
      method: 'POST',
      url: '/v1/imports/people',
      headers: editor,
      payload: { given_name: 'A' },
    })
    t.match(json.json(), { status: 400, invalidParams: [{ name: 'body' }] })
    const asViewer = await app.inject({
      method: 'POST',
      url: '/v1/imports/people',
      headers: { ...viewer, 'content-type': 'text/csv' },
      payload: `${header}\nA,B,a@b.org,,,,,`,
    })
    t.equal(asViewer.statusCode, 403)
    const unknownJob = await app.inject({
      method: 'GET',
      url: '/v1/imports/00000000-0000-4000-8000-000000000000',
      headers: viewer,
    })
    t.equal(unknownJob.statusCode, 404)
  })
})
