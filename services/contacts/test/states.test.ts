import t from 'tap'
import { collectEvents } from '@ccm/events'
import { build } from './helper.ts'

t.test('states registry', async (t) => {
  const { app, as, config } = await build(t)
  const viewer = await as('viewer')
  const editor = await as('editor', 'marie.dupont')

  t.test('the summary counts 112 States Parties and 12 signatories among 197 states', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/states/summary', headers: viewer })
    t.equal(res.statusCode, 200)
    const body = res.json()
    t.equal(body.total, 197)
    t.match(body.byStatus, { state_party: 112, signatory: 12, withdrawn: 1, not_signed: 72 })
    t.equal(body.byRegion.WEOG.state_party + body.byRegion.African.state_party > 0, true)
  })

  t.test('lists filter by status, region and an accent-insensitive part of the name', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/states?status=signatory&region=African', headers: viewer })
    t.equal(res.statusCode, 200)
    const { items, total } = res.json()
    t.ok(total > 0)
    t.ok(items.every((s: { status: string; regionalGroup: string }) => s.status === 'signatory' && s.regionalGroup === 'African'))
    const names = items.map((s: { name: string }) => s.name)
    t.same(names, [...names].sort((a: string, b: string) => a.localeCompare(b)), 'sorted by name')

    const ivory = await app.inject({ method: 'GET', url: '/v1/states?q=cote', headers: viewer })
    t.match(ivory.json().items, [{ iso3: 'CIV' }])

    const page = await app.inject({ method: 'GET', url: '/v1/states?limit=10&offset=190', headers: viewer })
    t.equal(page.json().items.length, 7)
    t.equal(page.json().total, 197)
  })

  t.test('one state, by code in either case, and its history', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/states/ltu', headers: viewer })
    t.match(res.json(), { iso3: 'LTU', status: 'withdrawn', withdrawalEffectiveOn: '2025-03-06' })
    const history = await app.inject({ method: 'GET', url: '/v1/states/LTU/history', headers: viewer })
    t.same(history.json().items.map((s: { kind: string }) => s.kind), ['signature', 'ratification', 'withdrawal'])
    const missing = await app.inject({ method: 'GET', url: '/v1/states/XYZ', headers: viewer })
    t.equal(missing.statusCode, 404)
    t.match(missing.json(), { status: 404, code: 'CONTACTS_STATE_NOT_FOUND' })
    t.match(missing.headers['content-type'], /application\/problem\+json/)
  })

  t.test('a ratification is recorded, its dates derived, audited and published as an event', async (t) => {
    const collector = await collectEvents(config.KAFKA_BROKERS, [`${config.KAFKA_TOPIC_PREFIX}contacts.events`])
    t.teardown(() => collector.close())
    const before = await app.inject({ method: 'GET', url: '/v1/states/FIN', headers: viewer })
    t.equal(before.json().status, 'not_signed')

    const res = await app.inject({
      method: 'POST', url: '/v1/states/FIN/treaty-events', headers: { ...editor, 'x-correlation-id': 'corr-fin-1' },
      payload: { kind: 'accession', date: '2025-09-05', source: 'depositary notification' },
    })
    t.equal(res.statusCode, 201, res.body)
    t.match(res.json(), {
      step: { kind: 'accession', fromStatus: 'not_signed', toStatus: 'state_party', recordedBy: 'marie.dupont' },
      state: { status: 'state_party', depositedOn: '2025-09-05', entryIntoForceOn: '2026-03-01', version: 2 },
    })

    const [event] = await collector.waitFor((e) => e.type === 'contacts.treaty_status.changed' && e.subject === 'FIN')
    t.match(event, {
      specversion: '1.0', source: '/ccm/contacts', datacontenttype: 'application/json',
      actor: 'marie.dupont', correlationid: 'corr-fin-1',
      data: { iso3: 'FIN', from: 'not_signed', to: 'state_party', statesPartiesCount: 113, state: { entryIntoForceOn: '2026-03-01' } },
    })
    const message = collector.messages.find((m) => m.event?.id === event!.id)
    t.equal(message?.key, 'FIN', 'keyed by the ISO3 code')
    t.equal(message?.headers.ce_type, 'contacts.treaty_status.changed')

    const audit = await app.db.query(`SELECT actor, action, changed_fields FROM audit_log WHERE entity_id = 'FIN'`)
    t.match(audit.rows, [{ actor: 'marie.dupont', action: 'treaty_step.accession', changed_fields: ['depositedOn', 'entryIntoForceOn', 'how', 'status'] }])

    const summary = await app.inject({ method: 'GET', url: '/v1/states/summary', headers: viewer })
    t.equal(summary.json().byStatus.state_party, 113)
  })

  t.test('refuses what does not fit, changing nothing', async (t) => {
    const noToken = await app.inject({ method: 'GET', url: '/v1/states' })
    t.equal(noToken.statusCode, 401)
    t.match(noToken.json(), { status: 401, title: 'Unauthorized' })

    const badToken = await app.inject({ method: 'GET', url: '/v1/states', headers: { authorization: 'Bearer not.a.token' } })
    t.equal(badToken.statusCode, 401)

    const asViewer = await app.inject({ method: 'POST', url: '/v1/states/NOR/treaty-events', headers: viewer, payload: { kind: 'withdrawal', date: '2025-01-01' } })
    t.equal(asViewer.statusCode, 403)

    const badField = await app.inject({ method: 'POST', url: '/v1/states/NOR/treaty-events', headers: editor, payload: { kind: 'withdrawal', date: '2025-02-30' } })
    t.equal(badField.statusCode, 400)
    t.match(badField.json(), { status: 400, invalidParams: [{ name: 'body.date' }] })
    t.match(badField.json().detail, /body\.date/)

    const badKind = await app.inject({ method: 'POST', url: '/v1/states/NOR/treaty-events', headers: editor, payload: { kind: 'annexation', date: '2025-01-01' } })
    t.match(badKind.json(), { status: 400, invalidParams: [{ name: 'body.kind' }] })

    const badParam = await app.inject({ method: 'GET', url: '/v1/states/NO1', headers: viewer })
    t.match(badParam.json(), { status: 400, invalidParams: [{ name: 'params.iso3' }] })

    const badQuery = await app.inject({ method: 'GET', url: '/v1/states?status=friendly', headers: viewer })
    t.match(badQuery.json(), { status: 400, invalidParams: [{ name: 'query.status' }] })

    const impossible = await app.inject({ method: 'POST', url: '/v1/states/NOR/treaty-events', headers: editor, payload: { kind: 'accession', date: '2025-01-01' } })
    t.equal(impossible.statusCode, 409)
    t.match(impossible.json(), { code: 'CONTACTS_TREATY_STEP_REFUSED', detail: /already a State Party/ })

    const norway = await app.inject({ method: 'GET', url: '/v1/states/NOR', headers: viewer })
    t.equal(norway.json().version, 1, 'the refused step changed nothing')
    const steps = await app.db.query(`SELECT count(*)::int AS n FROM treaty_steps WHERE iso3 = 'NOR' AND recorded_by <> 'registry-seed'`)
    t.equal(steps.rows[0].n, 0)
  })
})
