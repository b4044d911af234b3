import t from 'tap'
import { collectEvents } from '@ccm/events'
import { build } from './helper.ts'

t.test('organisations', async (t) => {
  const built = await build(t)
  const { app, as, config } = built
  const viewer = await as('viewer')
  const editor = await as('editor', 'marie.dupont')
  const collector = await collectEvents(config.KAFKA_BROKERS, [`${config.KAFKA_TOPIC_PREFIX}contacts.events`])
  t.teardown(() => collector.close())

  const kenyaMission = {
    type: 'permanent_mission',
    name: 'Permanent Mission of Kenya to the UN Office at Geneva',
    shortName: 'PM Kenya',
    country: 'ken',
    website: 'https://kenya.example',
    tags: ['africa-outreach'],
  }

  t.test('a permanent mission is created for its state, audited and announced', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/organizations', headers: editor, payload: kenyaMission })
    t.equal(res.statusCode, 201, res.body)
    const created = res.json()
    t.match(created, {
      type: 'permanent_mission',
      country: 'KEN',
      archived: false,
      version: 1,
      tags: ['africa-outreach'],
    })
    t.equal(res.headers.etag, '"1"')
    const [event] = await collector.waitFor(
      (e) => e.type === 'contacts.organization.created' && e.subject === created.id,
    )
    t.same(event!.data, { id: created.id, type: 'permanent_mission', country: 'KEN' })
    t.equal(event!.actor, 'marie.dupont')
    const audit = await app.db.query(
      `SELECT actor, action FROM audit_log WHERE entity_type = 'organization' AND entity_id = $1`,
      [created.id],
    )
    t.match(audit.rows, [{ actor: 'marie.dupont', action: 'create' }])
  })

  t.test('lists filter by type, country, tag and name, and leave archived ones out', async (t) => {
    const ngo = await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: editor,
      payload: { type: 'ngo', name: 'Cluster Munition Coalition', shortName: 'CMC', tags: ['civil-society'] },
    })
    t.equal(ngo.statusCode, 201)
    const byType = await app.inject({ method: 'GET', url: '/v1/organizations?type=ngo', headers: viewer })
    t.same(
      byType.json().items.map((o: { name: string }) => o.name),
      ['Cluster Munition Coalition'],
    )
    const byCountry = await app.inject({ method: 'GET', url: '/v1/organizations?country=KEN', headers: viewer })
    t.equal(byCountry.json().total, 1)
    const byTag = await app.inject({ method: 'GET', url: '/v1/organizations?tag=civil-society', headers: viewer })
    t.equal(byTag.json().items[0].shortName, 'CMC')
    const byName = await app.inject({ method: 'GET', url: '/v1/organizations?q=munition', headers: viewer })
    t.equal(byName.json().total, 1)

    const archived = await app.inject({
      method: 'POST',
      url: `/v1/organizations/${ngo.json().id}/archive`,
      headers: editor,
      payload: { version: 1 },
    })
    t.equal(archived.statusCode, 200, archived.body)
    t.match(archived.json(), { archived: true, version: 2 })
    t.equal((await app.inject({ method: 'GET', url: '/v1/organizations?type=ngo', headers: viewer })).json().total, 0)
    t.equal(
      (await app.inject({ method: 'GET', url: '/v1/organizations?type=ngo&archived=true', headers: viewer })).json()
        .total,
      1,
    )
    await collector.waitFor((e) => e.type === 'contacts.organization.archived' && e.subject === ngo.json().id)
  })

  t.test('a change with the current version applies; a stale one gets 409 and changes nothing', async (t) => {
    const created = (
      await app.inject({
        method: 'POST',
        url: '/v1/organizations',
        headers: editor,
        payload: { type: 'ministry', name: 'Ministry of Foreign Affairs of Chile', country: 'CHL' },
      })
    ).json()
    const ok = await app.inject({
      method: 'PATCH',
      url: `/v1/organizations/${created.id}`,
      headers: { ...editor, 'if-match': '"1"' },
      payload: { website: 'https://minrel.example' },
    })
    t.equal(ok.statusCode, 200, ok.body)
    t.match(ok.json(), { website: 'https://minrel.example', version: 2 })
    const [event] = await collector.waitFor(
      (e) => e.type === 'contacts.organization.updated' && e.subject === created.id,
    )
    t.same(event!.data, { id: created.id, changedFields: ['website'] })

    const stale = await app.inject({
      method: 'PATCH',
      url: `/v1/organizations/${created.id}`,
      headers: editor,
      payload: { name: 'Cancillería', version: 1 },
    })
    t.equal(stale.statusCode, 409)
    t.match(stale.json(), { code: 'CONTACTS_STALE_VERSION', detail: /version 2, not 1/ })
    const after = await app.inject({ method: 'GET', url: `/v1/organizations/${created.id}`, headers: viewer })
    t.match(after.json(), { name: 'Ministry of Foreign Affairs of Chile', version: 2 })
    const staleArchive = await app.inject({
      method: 'POST',
      url: `/v1/organizations/${created.id}/archive`,
      headers: { ...editor, 'if-match': '1' },
    })
    t.equal(staleArchive.statusCode, 409)
  })

  t.test('bad input gets 400 naming the field', async (t) => {
    const cases: [object, string][] = [
      [{ type: 'embassy', name: 'X' }, 'body.type'],
      [{ type: 'ngo', name: '' }, 'body.name'],
      [{ type: 'ngo', name: 'X', website: 'not a url' }, 'body.website'],
      [{ type: 'ngo', name: 'X', website: 'javascript:alert(document.cookie)' }, 'body.website'],
      [{ type: 'ngo', name: 'X', website: 'data:text/html,<script>alert(1)</script>' }, 'body.website'],
      [{ type: 'ngo', name: 'X', country: 'K3N' }, 'body.country'],
      [{ type: 'permanent_mission', name: 'A mission of nowhere' }, 'body.country'],
      [{ type: 'ministry', name: 'Ministry', country: 'XYZ' }, 'body.country'],
      [{ type: 'ngo', name: 'X', colour: 'blue' }, 'body'],
    ]
    for (const [payload, field] of cases) {
      const res = await app.inject({ method: 'POST', url: '/v1/organizations', headers: editor, payload })
      t.equal(res.statusCode, 400, `${JSON.stringify(payload)} → ${res.body}`)
      t.ok(
        res.json().invalidParams.some((p: { name: string }) => p.name === field),
        `names ${field}: ${res.body}`,
      )
    }
    const id = (await app.inject({ method: 'GET', url: '/v1/organizations', headers: viewer })).json().items[0].id
    const noVersion = await app.inject({
      method: 'PATCH',
      url: `/v1/organizations/${id}`,
      headers: editor,
      payload: { name: 'Y' },
    })
    t.match(noVersion.json(), { status: 400, invalidParams: [{ name: 'body.version' }] })
    const badId = await app.inject({ method: 'GET', url: '/v1/organizations/42', headers: viewer })
    t.match(badId.json(), { status: 400, invalidParams: [{ name: 'params.id' }] })
    const badQuery = await app.inject({ method: 'GET', url: '/v1/organizations?archived=yes', headers: viewer })
    t.match(badQuery.json(), { status: 400, invalidParams: [{ name: 'query.archived' }] })
    const missing = await app.inject({
      method: 'GET',
      url: '/v1/organizations/00000000-0000-4000-8000-000000000000',
      headers: viewer,
    })
    t.match(missing.json(), { status: 404, code: 'CONTACTS_ORGANIZATION_NOT_FOUND' })
    const asViewer = await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: viewer,
      payload: { type: 'ngo', name: 'X' },
    })
    t.equal(asViewer.statusCode, 403)
  })

  t.test('the export streams CSV honouring the list filters', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/exports/organizations.csv?country=KEN', headers: viewer })
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /text\/csv/)
    const lines = res.body.trim().split('\n')
    t.equal(lines[0], 'id,type,name,short_name,country,website,tags,archived')
    t.equal(lines.length, 2)
    t.match(lines[1], /permanent_mission,Permanent Mission of Kenya to the UN Office at Geneva,PM Kenya,KEN/)
  })

  t.test('the export escapes cells a spreadsheet would run as formulas', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: editor,
      payload: {
        type: 'ngo',
        name: '=HYPERLINK("https://evil.example")',
        shortName: '@SUM(A1)',
        country: 'GHA',
        tags: ['-2+3'],
      },
    })
    t.equal(res.statusCode, 201, res.body)
    const csv = await app.inject({ method: 'GET', url: '/v1/exports/organizations.csv?country=GHA', headers: viewer })
    const row = csv.body.trim().split('\n')[1]!
    t.match(row, /,ngo,"'=HYPERLINK\(""https:\/\/evil\.example""\)",'@SUM\(A1\),GHA,,'-2\+3,$/)
  })

  t.test('every route is documented with schemas', async (t) => {
    const docs = (await app.inject({ method: 'GET', url: '/docs/json' })).json()
    for (const path of [
      '/v1/organizations',
      '/v1/people',
      '/v1/interactions',
      '/v1/search',
      '/v1/imports/people',
      '/v1/follow-ups',
      '/v1/people/{id}/merge',
      '/v1/states/{iso3}/timeline',
      '/v1/exports/people.csv',
    ]) {
      t.ok(docs.paths[path], `${path} is documented`)
    }
    t.ok(docs.components.schemas.Organization.example, 'with an example')
  })
})
