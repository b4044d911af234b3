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
    t.same(body.statesPartiesByInstrument, {
      ratification: 112 - body.statesPartiesByInstrument.accession,
      accession: body.statesPartiesByInstrument.accession,
    })
  })

  const summaryOn = async (asOf: string) => {
    const res = await app.inject({ method: 'GET', url: `/v1/states/summary?asOf=${asOf}`, headers: viewer })
    t.equal(res.statusCode, 200, res.body)
    return res.json()
  }

  t.test(
    "counts as of a day are the depositary's: deposits on or before it, less withdrawals effective on or before it",
    async (t) => {
      t.match(await summaryOn('2026-12-02'), {
        asOf: '2026-12-02',
        total: 197,
        byStatus: { state_party: 112, signatory: 12, withdrawn: 1, not_signed: 72 },
        withdrawalPending: 0,
      })
      t.match(
        await summaryOn('2024-12-31'),
        { byStatus: { state_party: 112, withdrawn: 0 }, withdrawalPending: 1 },
        'Lithuania is a State Party, its withdrawal pending',
      )
      t.match(
        await summaryOn('2025-03-05'),
        { byStatus: { state_party: 112, withdrawn: 0 }, withdrawalPending: 1 },
        'the day before it takes effect',
      )
      t.match(
        await summaryOn('2025-03-06'),
        { byStatus: { state_party: 111, withdrawn: 1 }, withdrawalPending: 0 },
        'the day it takes effect',
      )
      t.match(await summaryOn('2025-09-05'), { byStatus: { state_party: 112 } }, 'Vanuatu, the 112th')
      t.match(await summaryOn('2010-08-01'), { byStatus: { state_party: 38 } })
      const bad = await app.inject({ method: 'GET', url: '/v1/states/summary?asOf=2025-02-30', headers: viewer })
      t.match(bad.json(), { status: 400, invalidParams: [{ name: 'query.asOf' }] })
    },
  )

  t.test('acceptance and approval are kept as deposited and counted with ratifications', async (t) => {
    const japan = await app.inject({ method: 'GET', url: '/v1/states/JPN', headers: viewer })
    t.match(japan.json(), { how: 'acceptance', depositedOn: '2009-07-14' })
    const history = await app.inject({ method: 'GET', url: '/v1/states/JPN/history', headers: viewer })
    t.same(
      history.json().items.map((s: { kind: string }) => s.kind),
      ['signature', 'acceptance'],
    )
    const before = (await summaryOn('2009-07-13')).statesPartiesByInstrument
    t.same((await summaryOn('2009-07-14')).statesPartiesByInstrument, {
      ...before,
      ratification: before.ratification + 1,
    })
  })

  t.test('lists filter by status, region and an accent-insensitive part of the name', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/states?status=signatory&region=African', headers: viewer })
    t.equal(res.statusCode, 200)
    const { items, total } = res.json()
    t.ok(total > 0)
    t.ok(
      items.every(
        (s: { status: string; regionalGroup: string }) => s.status === 'signatory' && s.regionalGroup === 'African',
      ),
    )
    const names = items.map((s: { name: string }) => s.name)
    t.same(
      names,
      [...names].sort((a: string, b: string) => a.localeCompare(b)),
      'sorted by name',
    )

    const ivory = await app.inject({ method: 'GET', url: '/v1/states?q=cote', headers: viewer })
    t.match(ivory.json().items, [{ iso3: 'CIV' }])

    const page = await app.inject({ method: 'GET', url: '/v1/states?limit=10&offset=190', headers: viewer })
    t.equal(page.json().items.length, 7)
    t.equal(page.json().total, 197)
  })

  t.test('one state, by code in either case, and its history', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/states/ltu', headers: viewer })
    t.match(res.json(), {
      iso3: 'LTU',
      status: 'withdrawn',
      withdrawalEffectiveOn: '2025-03-06',
      withdrawalPending: false,
    })
    const history = await app.inject({ method: 'GET', url: '/v1/states/LTU/history', headers: viewer })
    t.match(history.json().items, [
      { kind: 'signature' },
      { kind: 'ratification' },
      { kind: 'withdrawal', date: '2024-09-06', fromStatus: 'state_party', toStatus: 'state_party' },
      { kind: 'withdrawal_effective', date: '2025-03-06', fromStatus: 'state_party', toStatus: 'withdrawn' },
    ])
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
      method: 'POST',
      url: '/v1/states/FIN/treaty-events',
      headers: { ...editor, 'x-correlation-id': 'corr-fin-1' },
      payload: { kind: 'accession', date: '2025-09-05', source: 'depositary notification' },
    })
    t.equal(res.statusCode, 201, res.body)
    t.match(res.json(), {
      step: { kind: 'accession', fromStatus: 'not_signed', toStatus: 'state_party', recordedBy: 'marie.dupont' },
      state: { status: 'state_party', depositedOn: '2025-09-05', entryIntoForceOn: '2026-03-01', version: 2 },
    })

    const [event] = await collector.waitFor((e) => e.type === 'contacts.treaty_status.changed' && e.subject === 'FIN')
    t.match(event, {
      specversion: '1.0',
      source: '/ccm/contacts',
      datacontenttype: 'application/json',
      actor: 'marie.dupont',
      correlationid: 'corr-fin-1',
      data: {
        iso3: 'FIN',
        from: 'not_signed',
        to: 'state_party',
        statesPartiesCount: 113,
        state: { entryIntoForceOn: '2026-03-01' },
      },
    })
    const message = collector.messages.find((m) => m.event?.id === event!.id)
    t.equal(message?.key, 'FIN', 'keyed by the ISO3 code')
    t.equal(message?.headers.ce_type, 'contacts.treaty_status.changed')

    const audit = await app.db.query(`SELECT actor, action, changed_fields FROM audit_log WHERE entity_id = 'FIN'`)
    t.match(audit.rows, [
      {
        actor: 'marie.dupont',
        action: 'treaty_step.accession',
        changed_fields: ['depositedOn', 'entryIntoForceOn', 'how', 'status'],
      },
    ])

    const summary = await app.inject({ method: 'GET', url: '/v1/states/summary', headers: viewer })
    t.equal(summary.json().byStatus.state_party, 113)
  })

  t.test('refuses what does not fit, changing nothing', async (t) => {
    const noToken = await app.inject({ method: 'GET', url: '/v1/states' })
    t.equal(noToken.statusCode, 401)
    t.match(noToken.json(), { status: 401, title: 'Unauthorized' })

    const badToken = await app.inject({
      method: 'GET',
      url: '/v1/states',
      headers: { authorization: 'Bearer not.a.token' },
    })
    t.equal(badToken.statusCode, 401)

    const asViewer = await app.inject({
      method: 'POST',
      url: '/v1/states/NOR/treaty-events',
      headers: viewer,
      payload: { kind: 'withdrawal', date: '2025-01-01' },
    })
    t.equal(asViewer.statusCode, 403)

    const badField = await app.inject({
      method: 'POST',
      url: '/v1/states/NOR/treaty-events',
      headers: editor,
      payload: { kind: 'withdrawal', date: '2025-02-30' },
    })
    t.equal(badField.statusCode, 400)
    t.match(badField.json(), { status: 400, invalidParams: [{ name: 'body.date' }] })
    t.match(badField.json().detail, /body\.date/)

    const badKind = await app.inject({
      method: 'POST',
      url: '/v1/states/NOR/treaty-events',
      headers: editor,
      payload: { kind: 'annexation', date: '2025-01-01' },
    })
    t.match(badKind.json(), { status: 400, invalidParams: [{ name: 'body.kind' }] })

    const badParam = await app.inject({ method: 'GET', url: '/v1/states/NO1', headers: viewer })
    t.match(badParam.json(), { status: 400, invalidParams: [{ name: 'params.iso3' }] })

    const badQuery = await app.inject({ method: 'GET', url: '/v1/states?status=friendly', headers: viewer })
    t.match(badQuery.json(), { status: 400, invalidParams: [{ name: 'query.status' }] })

    const impossible = await app.inject({
      method: 'POST',
      url: '/v1/states/NOR/treaty-events',
      headers: editor,
      payload: { kind: 'accession', date: '2025-01-01' },
    })
    t.equal(impossible.statusCode, 409)
    t.match(impossible.json(), { code: 'CONTACTS_TREATY_STEP_REFUSED', detail: /already a State Party/ })

    const norway = await app.inject({ method: 'GET', url: '/v1/states/NOR', headers: viewer })
    t.equal(norway.json().version, 1, 'the refused step changed nothing')
    const steps = await app.db.query(
      `SELECT count(*)::int AS n FROM treaty_steps WHERE iso3 = 'NOR' AND recorded_by <> 'registry-seed'`,
    )
    t.equal(steps.rows[0].n, 0)
  })
})

t.test('withdrawals, their revocation and joining again', async (t) => {
  const { app, as, config } = await build(t)
  const viewer = await as('viewer')
  const editor = await as('editor', 'marie.dupont')
  const collector = await collectEvents(config.KAFKA_BROKERS, [`${config.KAFKA_TOPIC_PREFIX}contacts.events`])
  t.teardown(() => collector.close())
  const step = (iso3: string, kind: string, date: string) =>
    app.inject({ method: 'POST', url: `/v1/states/${iso3}/treaty-events`, headers: editor, payload: { kind, date } })
  const get = async (iso3: string) =>
    (await app.inject({ method: 'GET', url: `/v1/states/${iso3}`, headers: viewer })).json()
  const kinds = async (iso3: string) =>
    (await app.inject({ method: 'GET', url: `/v1/states/${iso3}/history`, headers: viewer }))
      .json()
      .items.map((s: { kind: string }) => s.kind)
  const partiesOn = async (asOf: string) =>
    (await app.inject({ method: 'GET', url: `/v1/states/summary?asOf=${asOf}`, headers: viewer })).json().byStatus
      .state_party

  t.test(
    'a notice keeps a State Party until the withdrawal takes effect six months later, when the sweep switches it',
    async (t) => {
      const res = await step('NOR', 'withdrawal', '2026-11-02')
      t.equal(res.statusCode, 201, res.body)
      t.match(res.json().state, {
        status: 'state_party',
        withdrawalPending: true,
        withdrawalNoticeOn: '2026-11-02',
        withdrawalEffectiveOn: '2027-05-02',
      })
      t.equal(await partiesOn('2026-12-02'), 112, 'still counted')
      t.equal(await partiesOn('2027-05-02'), 111, 'counted out from the effective date')

      t.equal(await app.contacts.statesService.sweepWithdrawals('2027-05-01'), 0, 'not before the day')
      t.equal((await get('NOR')).status, 'state_party')
      t.equal(await app.contacts.statesService.sweepWithdrawals('2027-05-02'), 1)
      t.match(await get('NOR'), { status: 'withdrawn', withdrawalPending: false, withdrawalEffectiveOn: '2027-05-02' })
      t.same(await kinds('NOR'), ['signature', 'ratification', 'withdrawal', 'withdrawal_effective'])

      const changes = await collector.waitFor((e) => e.type === 'contacts.treaty_status.changed' && e.subject === 'NOR')
      t.equal(changes.length, 1, "the notice changed no status and emitted nothing; a state's events arrive in order")
      const [event] = changes
      t.match(event, {
        actor: 'contacts-withdrawal-sweep',
        data: {
          from: 'state_party',
          to: 'withdrawn',
          step: { kind: 'withdrawal_effective', date: '2027-05-02' },
          statesPartiesCount: 111,
        },
      })
      const audit = await app.db.query(
        `SELECT actor FROM audit_log WHERE entity_id = 'NOR' AND action = 'treaty_step.withdrawal_effective'`,
      )
      t.same(audit.rows, [{ actor: 'contacts-withdrawal-sweep' }])
    },
  )

  t.test('a notice recorded after its effective date has passed takes effect at once', async (t) => {
    const res = await step('DEU', 'withdrawal', '2025-01-10')
    t.match(res.json(), {
      step: { kind: 'withdrawal' },
      state: { status: 'withdrawn', withdrawalEffectiveOn: '2025-07-10' },
    })
    t.same(await kinds('DEU'), ['signature', 'ratification', 'withdrawal', 'withdrawal_effective'])
  })

  t.test('a notice revoked before it takes effect leaves the state as if none had been given', async (t) => {
    t.equal((await step('FRA', 'withdrawal', '2026-10-01')).statusCode, 201)
    const res = await step('FRA', 'withdrawal_revocation', '2026-11-15')
    t.equal(res.statusCode, 201, res.body)
    t.match(res.json(), {
      step: {
        kind: 'withdrawal_revocation',
        fromStatus: 'state_party',
        toStatus: 'state_party',
        recordedBy: 'marie.dupont',
      },
    })
    t.match(await get('FRA'), {
      status: 'state_party',
      withdrawalPending: false,
      withdrawalNoticeOn: null,
      withdrawalEffectiveOn: null,
    })
    t.same(
      await kinds('FRA'),
      ['signature', 'ratification', 'withdrawal', 'withdrawal_revocation'],
      'the history keeps both steps',
    )
    t.equal(await app.contacts.statesService.sweepWithdrawals('2027-12-31'), 0)
    const again = await step('FRA', 'withdrawal_revocation', '2026-11-20')
    t.equal(again.statusCode, 409)
    t.match(again.json(), { code: 'CONTACTS_TREATY_STEP_REFUSED', detail: /none pending/ })
  })

  t.test(
    'the armed-conflict proviso holds a withdrawal back until a person gives the day it takes effect',
    async (t) => {
      const put = (iso3: string, payload: object) =>
        app.inject({ method: 'PUT', url: `/v1/states/${iso3}/withdrawal/armed-conflict`, headers: editor, payload })
      t.equal((await put('ESP', { armedConflict: true })).statusCode, 409, 'no notice pending')
      await step('ESP', 'withdrawal', '2026-06-10')
      const held = await put('ESP', { armedConflict: true })
      t.equal(held.statusCode, 200, held.body)
      t.match(held.json(), {
        status: 'state_party',
        withdrawalPending: true,
        withdrawalArmedConflict: true,
        withdrawalEffectiveOn: null,
      })
      t.equal(await app.contacts.statesService.sweepWithdrawals('2030-01-01'), 0, 'no day, no effect')
      const bad = await put('ESP', { armedConflict: false, effectiveOn: '2027-01-01' })
      t.match(bad.json(), { status: 400, invalidParams: [{ name: 'body.effectiveOn' }] })
      const early = await put('ESP', { armedConflict: true, effectiveOn: '2026-12-09' })
      t.match(early.json(), { status: 409, detail: /no earlier than six months after the notice, on 2026-12-10/ })
      const ended = await put('ESP', { armedConflict: true, effectiveOn: '2027-03-01' })
      t.match(ended.json(), {
        status: 'state_party',
        withdrawalArmedConflict: true,
        withdrawalEffectiveOn: '2027-03-01',
      })
      t.equal(await app.contacts.statesService.sweepWithdrawals('2027-03-01'), 1)
      const audit = await app.db.query(
        `SELECT actor FROM audit_log WHERE entity_id = 'ESP' AND action = 'withdrawal.armed_conflict'`,
      )
      t.equal(audit.rows.length, 2, 'each setting is attributed')
    },
  )

  t.test(
    'a state that withdrew joins again by the instrument it deposits; its earlier membership stays in the history',
    async (t) => {
      const early = await step('LTU', 'ratification', '2025-03-05')
      t.equal(early.statusCode, 409)
      const res = await step('LTU', 'ratification', '2026-06-01')
      t.equal(res.statusCode, 201, res.body)
      t.match(res.json().state, {
        status: 'state_party',
        how: 'ratification',
        depositedOn: '2026-06-01',
        entryIntoForceOn: '2026-12-01',
        withdrawalNoticeOn: null,
      })
      t.same(await kinds('LTU'), ['signature', 'ratification', 'withdrawal', 'withdrawal_effective', 'ratification'])
      t.equal(
        (await partiesOn('2024-12-31')) - (await partiesOn('2025-03-06')),
        1,
        'the earlier membership still counts in its period',
      )
    },
  )

  t.test(
    "a State Party's number is the count on its deposit day, however late or out of order the deposit is recorded",
    async (t) => {
      const numberOf = async (iso3: string) => {
        const [event] = await collector.waitFor(
          (e) =>
            e.type === 'contacts.treaty_status.changed' &&
            e.subject === iso3 &&
            (e.data as { to: string }).to === 'state_party',
        )
        return (event!.data as { statesPartiesCount: number }).statesPartiesCount
      }
      const before = await partiesOn('2026-11-09')
      t.equal((await step('DZA', 'accession', '2026-11-20')).statusCode, 201)
      t.equal((await step('ARG', 'accession', '2026-11-10')).statusCode, 201, 'recorded after a later deposit')
      t.equal(await numberOf('DZA'), before + 1, 'numbered as the registry stood when it was recorded')
      t.equal(await numberOf('ARG'), before + 1, 'the number it had on its day, not the next one after DZA')
      t.equal(await partiesOn('2026-11-20'), before + 2)

      const backdatedBefore = await partiesOn('2019-01-14')
      t.equal((await step('ARM', 'accession', '2019-01-15')).statusCode, 201, 'a deposit recorded years late')
      t.equal(await numberOf('ARM'), backdatedBefore + 1)
      t.equal(await partiesOn('2019-01-15'), backdatedBefore + 1)
    },
  )
})
