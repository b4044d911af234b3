import t from 'tap'
import { randomUUID } from 'node:crypto'
import { waitFor } from '@ccm/testing'
import { createContactsFeed, snapshots } from '../../campaigns/test/contacts-feed.ts'
import { seedMeetings } from '../src/services/seed.ts'
import { build } from './helper.ts'

t.test('the Sponsorship Programme: four eyes on decisions, and a budget only an admin may pass', async (t) => {
  const { app, config, as } = await build(t)
  const marie = await as('editor', 'marie.dupont')
  const paolo = await as('editor', 'paolo.rossi')
  const admin = await as('admin', 'head.isu')
  const feed = await createContactsFeed(config)
  t.teardown(feed.close)
  await seedMeetings(app.db)
  await feed.register(snapshots.KEN, snapshots.UGA, snapshots.JAM, snapshots.NGA)
  await waitFor('the states read model', async () => (await app.db.query(`SELECT 1 FROM states`)).rows.length === 4)
  const meeting = (await app.db.query(`SELECT id FROM meetings WHERE code = '13MSP'`)).rows[0].id as string
  const url = `/v1/meetings/${meeting}/sponsorship`
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, headers: object, payload?: object) =>
    app.inject({ method, url: `${url}${path}`, headers: { ...headers }, payload })

  const apply = async (iso3: string, name: string) => {
    const res = await call('POST', '/applications', marie, {
      personId: randomUUID(),
      name,
      iso3,
      function: 'Director, Disarmament Division',
      motivation: 'Leads the national ratification file',
    })
    t.equal(res.statusCode, 201, res.body)
    return res.json()
  }
  const kenya = await apply('KEN', 'Wanjiru Odhiambo')
  const uganda = await apply('UGA', 'Okello Mugisha')
  const jamaica = await apply('JAM', 'Andrea Campbell')

  t.test('a decision needs a budget, and someone other than the application’s author', async (t) => {
    const early = await call('POST', `/applications/${kenya.id}/decision`, paolo, { decision: 'approved', reason: 'x' })
    t.equal(early.statusCode, 409, 'no budget yet')
    const budget = await call('PUT', '/budget', marie, {
      amountMinor: 1_000_000,
      currency: 'CHF',
      donors: ['Switzerland', 'Australia'],
    })
    t.equal(budget.statusCode, 200, budget.body)
    const own = await call('POST', `/applications/${kenya.id}/decision`, marie, {
      decision: 'approved',
      reason: 'Regional balance',
    })
    t.equal(own.statusCode, 403, 'decided by the editor who entered it')
    t.match(own.json(), { code: 'MEETINGS_FOUR_EYES' })
    t.match((await call('GET', `/applications/${kenya.id}`, paolo)).json(), { status: 'pending', version: 1 })
    const decided = await call('POST', `/applications/${kenya.id}/decision`, paolo, {
      decision: 'approved',
      reason: 'Regional balance',
    })
    t.equal(decided.statusCode, 200, decided.body)
    t.match(decided.json(), { status: 'approved', decidedBy: 'paolo.rossi', decisionReason: 'Regional balance' })
    const event = await app.db.query(
      `SELECT aggregate_id, envelope->'data' AS data FROM outbox WHERE type = 'meetings.sponsorship.decided'`,
    )
    t.match(event.rows, [{ aggregate_id: 'KEN', data: { decision: 'approved', iso3: 'KEN' } }])
    const noReason = await call('POST', `/applications/${uganda.id}/decision`, paolo, { decision: 'declined' })
    t.equal(noReason.statusCode, 400)
    t.equal(noReason.json().invalidParams[0].name, 'body.reason')
  })

  t.test('costs past the budget are a 409 naming the overrun, unless an admin overrides with a reason', async (t) => {
    const costs = { travelBooked: true, travelCostMinor: 450_000, accommodationCostMinor: 120_000, dsaDays: 5 }
    const first = await call('PATCH', `/applications/${kenya.id}`, marie, { ...costs, dsaRateMinor: 41_000 })
    t.equal(first.statusCode, 200, first.body)
    t.equal((await call('GET', '', marie)).json().committedMinor, 775_000, '4,500 + 1,200 + 5 × 410 CHF')

    const float = await call('PATCH', `/applications/${kenya.id}`, marie, { travelCostMinor: 1.5 })
    t.equal(float.statusCode, 400, 'money is whole minor units')
    t.equal(float.json().invalidParams[0].name, 'body.travelCostMinor')

    t.equal(
      (await call('POST', `/applications/${uganda.id}/decision`, paolo, { decision: 'approved', reason: 'Ratifying' }))
        .statusCode,
      200,
    )
    const over = await call('PATCH', `/applications/${uganda.id}`, marie, { ...costs, dsaRateMinor: 41_000 })
    t.equal(over.statusCode, 409)
    t.match(over.json(), {
      code: 'MEETINGS_OVER_BUDGET',
      detail: /committed would be 15500\.00 CHF, 5500\.00 CHF over/,
    })
    t.match((await call('GET', `/applications/${uganda.id}`, marie)).json(), { travelCostMinor: 0 }, 'nothing written')

    const editorOverride = await call('PATCH', `/applications/${uganda.id}`, marie, {
      ...costs,
      dsaRateMinor: 41_000,
      override: { reason: 'Donor top-up pledged' },
    })
    t.equal(editorOverride.statusCode, 403, 'only an admin overrides')
    const noWhy = await call('PATCH', `/applications/${uganda.id}`, admin, { ...costs, override: {} })
    t.equal(noWhy.statusCode, 400)
    t.equal(noWhy.json().invalidParams[0].name, 'body.override.reason')
    const overridden = await call('PATCH', `/applications/${uganda.id}`, admin, {
      ...costs,
      dsaRateMinor: 41_000,
      attendanceConfirmed: true,
      override: { reason: 'Donor top-up pledged by Switzerland' },
    })
    t.equal(overridden.statusCode, 200, overridden.body)
    t.match(overridden.json(), { budgetOverrideBy: 'head.isu', budgetOverrideReason: /Donor top-up/ })

    const lower = await call('PUT', '/budget', marie, { amountMinor: 500_000, currency: 'CHF' })
    t.equal(lower.statusCode, 409, 'a budget below what is committed')

    t.equal(
      (await call('POST', `/applications/${jamaica.id}/decision`, paolo, { decision: 'waitlisted', reason: 'Later' }))
        .statusCode,
      200,
    )
    const summary = (await call('GET', '', marie)).json()
    t.match(summary, {
      budget: { amountMinor: 1_000_000, currency: 'CHF', donors: ['Switzerland', 'Australia'] },
      committedMinor: 1_550_000,
      spentMinor: 775_000,
      remainingMinor: -550_000,
      applications: { pending: 0, approved: 2, waitlisted: 1, declined: 0 },
      approved: { travelBooked: 2, attendanceConfirmed: 1, overrides: 1 },
    })
    t.same(summary.byRegion, [
      { region: 'African', applications: 2, approved: 2, committedMinor: 1_550_000, spentMinor: 775_000 },
      { region: 'GRULAC', applications: 1, approved: 0, committedMinor: 0, spentMinor: 0 },
    ])
    const waitlisted = await call('PATCH', `/applications/${jamaica.id}`, marie, { travelBooked: true })
    t.equal(waitlisted.statusCode, 409, 'costs are kept for approved applications only')
  })
})
