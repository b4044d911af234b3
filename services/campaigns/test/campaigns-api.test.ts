import t from 'tap'
import { randomUUID } from 'node:crypto'
import { collectEvents } from '@ccm/events'
import { waitFor } from '@ccm/testing'
import { build } from './helper.ts'
import { createContactsFeed, daysFromToday, snapshots } from './contacts-feed.ts'

t.test('campaigns API', async (t) => {
  const { app, config, as } = await build(t)
  const viewer = await as('viewer')
  const editor = await as('editor', 'marie.dupont')
  const feed = await createContactsFeed(config)
  t.teardown(feed.close)
  const published = await collectEvents(config.KAFKA_BROKERS, [`${config.KAFKA_TOPIC_PREFIX}campaigns.events`])
  t.teardown(published.close)
  await feed.register(...Object.values(snapshots))
  await waitFor(
    'the states read model',
    async () =>
      (await app.db.query(`SELECT count(*)::int AS n FROM states`)).rows[0].n === Object.keys(snapshots).length,
  )

  const post = (url: string, payload: object, headers = editor) => app.inject({ method: 'POST', url, headers, payload })
  const get = (url: string, headers: Record<string, string> = viewer) => app.inject({ method: 'GET', url, headers })
  const created = await post('/v1/campaigns', {
    name: 'Africa signatories',
    objective: 'Bring the African signatories in',
    owner: 'marie.dupont',
    tags: ['universalization'],
  })
  const campaign = created.json()

  t.test('a campaign is created with its defaults, audited and published', async (t) => {
    t.equal(created.statusCode, 201, created.body)
    t.match(campaign, { status: 'planned', staleAfterDays: 90, goal: null, version: 1, createdBy: 'marie.dupont' })
    const [event] = await published.waitFor((e) => e.type === 'campaigns.campaign.created')
    t.match(event, {
      actor: 'marie.dupont',
      subject: campaign.id,
      data: { id: campaign.id, name: 'Africa signatories', status: 'planned' },
    })
    const audit = await app.db.query(`SELECT actor, action FROM audit_log WHERE entity_id = $1`, [campaign.id])
    t.match(audit.rows, [{ actor: 'marie.dupont', action: 'campaign.created' }])
    const list = await get('/v1/campaigns?tag=universalization')
    t.match(list.json(), { total: 1, items: [{ id: campaign.id }] })
  })

  t.test('bad input gets 400 naming the field, and roles are enforced', async (t) => {
    t.equal((await get('/v1/campaigns', {})).statusCode, 401)
    t.equal((await post('/v1/campaigns', { name: 'x', objective: 'y', owner: 'z' }, viewer)).statusCode, 403)
    const missing = await post('/v1/campaigns', { objective: 'y', owner: 'z' })
    t.match(missing.json(), { status: 400, invalidParams: [{ name: 'body.name' }] })
    const badGoal = await post('/v1/campaigns', {
      name: 'x',
      objective: 'y',
      owner: 'z',
      goal: { metric: 'happy', target: 3 },
    })
    t.match(badGoal.json(), { status: 400, invalidParams: [{ name: 'body.goal.metric' }] })
    const badDates = await post('/v1/campaigns', {
      name: 'x',
      objective: 'y',
      owner: 'z',
      startsOn: '2026-05-01',
      endsOn: '2026-04-01',
    })
    t.match(badDates.json(), { status: 400, invalidParams: [{ name: 'body.endsOn' }] })
    const badDate = await post('/v1/campaigns', { name: 'x', objective: 'y', owner: 'z', startsOn: '2026-02-30' })
    t.match(badDate.json(), { status: 400, invalidParams: [{ name: 'body.startsOn' }] })
    t.match((await get('/v1/campaigns/not-a-uuid')).json(), { status: 400, invalidParams: [{ name: 'params.id' }] })
    t.match((await get(`/v1/campaigns/${randomUUID()}`)).json(), { status: 404, code: 'CAMPAIGNS_CAMPAIGN_NOT_FOUND' })
  })

  t.test('a stale version gets 409 and changes nothing; a closed campaign stays closed', async (t) => {
    const ok = await app.inject({
      method: 'PATCH',
      url: `/v1/campaigns/${campaign.id}`,
      headers: { ...editor, 'if-match': '"1"' },
      payload: { status: 'active', goal: { metric: 'engaged', target: 1 } },
    })
    t.equal(ok.statusCode, 200, ok.body)
    t.match(ok.json(), { status: 'active', version: 2 })
    const stale = await app.inject({
      method: 'PATCH',
      url: `/v1/campaigns/${campaign.id}`,
      headers: editor,
      payload: { name: 'Renamed', version: 1 },
    })
    t.equal(stale.statusCode, 409)
    t.match(stale.json(), { code: 'CAMPAIGNS_STALE_VERSION' })
    t.equal((await get(`/v1/campaigns/${campaign.id}`)).json().name, 'Africa signatories')
    const [updated] = await published.waitFor((e) => e.type === 'campaigns.campaign.updated')
    t.same((updated!.data as { changedFields: string[] }).changedFields, ['goal', 'status'])

    const other = (
      await post('/v1/campaigns', { name: 'Short one', objective: 'Done quickly', owner: 'marie.dupont' })
    ).json()
    const done = await app.inject({
      method: 'PATCH',
      url: `/v1/campaigns/${other.id}`,
      headers: editor,
      payload: { status: 'completed' },
    })
    t.equal(done.json().status, 'completed')
    await published.waitFor((e) => e.type === 'campaigns.campaign.completed' && e.subject === other.id)
    const reopen = await app.inject({
      method: 'PATCH',
      url: `/v1/campaigns/${other.id}`,
      headers: editor,
      payload: { status: 'active' },
    })
    t.match(reopen.json(), { status: 409, code: 'CAMPAIGNS_STATUS_CHANGE_REFUSED' })
    const closedTargets = await post(`/v1/campaigns/${other.id}/targets`, { iso3: ['KEN'] })
    t.match(closedTargets.json(), { status: 409, code: 'CAMPAIGNS_CAMPAIGN_CLOSED' })
  })

  t.test('targets are added by filter or by code, once each', async (t) => {
    const byFilter = await post(`/v1/campaigns/${campaign.id}/targets`, {
      filter: { status: 'signatory', region: 'African' },
    })
    t.equal(byFilter.statusCode, 201, byFilter.body)
    t.same(
      byFilter.json().added.map((a: { iso3: string }) => a.iso3),
      ['KEN', 'TZA', 'UGA'],
    )
    const byCode = await post(`/v1/campaigns/${campaign.id}/targets`, { iso3: ['ken', 'JAM'] })
    t.match(byCode.json(), {
      added: [{ iso3: 'JAM', name: 'Jamaica', stage: 'not_engaged' }],
      alreadyTargeted: ['KEN'],
    })
    const unknown = await post(`/v1/campaigns/${campaign.id}/targets`, { iso3: ['XXX'] })
    t.match(unknown.json(), { status: 400, invalidParams: [{ name: 'body.iso3' }] })
    const both = await post(`/v1/campaigns/${campaign.id}/targets`, { iso3: ['KEN'], filter: { status: 'signatory' } })
    t.match(both.json(), { status: 400, invalidParams: [{ name: 'body.iso3' }] })
    const list = await get(`/v1/campaigns/${campaign.id}/targets?stage=not_engaged`)
    t.equal(list.json().items.length, 4)
    const [added] = await published.waitFor(
      (e) => e.type === 'campaigns.target.added' && (e.data as { iso3: string }).iso3 === 'JAM',
    )
    t.match(added!.data, { campaignId: campaign.id, stage: 'not_engaged' })
  })

  t.test('manual moves follow the pipeline rules and keep every transition', async (t) => {
    const url = `/v1/campaigns/${campaign.id}/targets/KEN/stage`
    const noReason = await post(url, { stage: 'engaged' })
    t.match(noReason.json(), { status: 400, invalidParams: [{ name: 'body.reason' }] })
    const interactionId = randomUUID()
    const engaged = await post(
      url,
      { stage: 'engaged', reason: 'Met the deputy head of mission', interactionId },
      await as('editor', 'jean.martin'),
    )
    t.equal(engaged.statusCode, 200, engaged.body)
    t.match(engaged.json(), { stage: 'engaged', version: 2 })
    t.match(engaged.json().transitions, [
      { from: null, to: 'not_engaged', by: 'marie.dupont' },
      {
        from: 'not_engaged',
        to: 'engaged',
        by: 'jean.martin',
        reason: 'Met the deputy head of mission',
        evidenceInteractionId: interactionId,
        causedByEventId: null,
      },
    ])
    t.match((await post(url, { stage: 'considering', reason: 'x', version: 1 })).json(), {
      status: 409,
      code: 'CAMPAIGNS_STALE_VERSION',
    })
    t.match((await post(url, { stage: 'joined', reason: 'They said so' })).json(), {
      status: 409,
      code: 'CAMPAIGNS_STAGE_MOVE_REFUSED',
    })
    t.match((await post(url, { stage: 'declined' })).json(), { status: 400, invalidParams: [{ name: 'body.reason' }] })
    t.match((await post(url, { stage: 'engaged' }, viewer)).json(), { status: 403 })
    t.match((await post(`/v1/campaigns/${campaign.id}/targets/FIN/stage`, { stage: 'contacted' })).json(), {
      status: 404,
      code: 'CAMPAIGNS_TARGET_NOT_FOUND',
    })
    const declined = await post(`/v1/campaigns/${campaign.id}/targets/TZA/stage`, {
      stage: 'declined',
      reason: 'Not before the elections',
    })
    t.equal(declined.json().stage, 'declined')
    const [goal] = await published.waitFor((e) => e.type === 'campaigns.milestone.reached')
    t.match(
      goal!.data,
      { kind: 'goal_reached', campaign: { id: campaign.id }, statesPartiesCount: 3 },
      'goal: one target engaged',
    )
    t.not((goal!.data as { causedByEventId: string }).causedByEventId, null)
  })

  t.test('tasks are listed by assignee, due date and status; completing one is published', async (t) => {
    const overdue = await post('/v1/tasks', {
      campaignId: campaign.id,
      iso3: 'UGA',
      title: 'Call the mission',
      assignee: 'jean.martin',
      dueOn: daysFromToday(-3),
    })
    t.equal(overdue.statusCode, 201, overdue.body)
    const later = (
      await post('/v1/tasks', {
        campaignId: campaign.id,
        title: 'Plan the regional workshop',
        assignee: 'jean.martin',
        dueOn: daysFromToday(30),
      })
    ).json()
    await post('/v1/tasks', {
      campaignId: campaign.id,
      title: 'Brief the president',
      assignee: 'marie.dupont',
      dueOn: daysFromToday(5),
    })
    t.match((await post('/v1/tasks', { campaignId: campaign.id, iso3: 'FIN', title: 'x', assignee: 'y' })).json(), {
      status: 400,
      invalidParams: [{ name: 'body.iso3' }],
    })
    t.match(
      (await post('/v1/tasks', { campaignId: campaign.id, title: 'x', assignee: 'y', dueOn: 'tomorrow' })).json(),
      { status: 400, invalidParams: [{ name: 'body.dueOn' }] },
    )

    const mine = await get(`/v1/tasks?assignee=jean.martin&due_before=${daysFromToday(10)}&status=open`)
    t.match(mine.json(), { total: 1, items: [{ title: 'Call the mission', iso3: 'UGA' }] })
    t.match((await get('/v1/tasks?overdue=true')).json(), { total: 1, items: [{ title: 'Call the mission' }] })

    const stale = await app.inject({
      method: 'PATCH',
      url: `/v1/tasks/${later.id}`,
      headers: editor,
      payload: { status: 'done', version: 7 },
    })
    t.equal(stale.statusCode, 409)
    const done = await app.inject({
      method: 'PATCH',
      url: `/v1/tasks/${later.id}`,
      headers: editor,
      payload: { status: 'done', version: 1 },
    })
    t.match(done.json(), { status: 'done', completedBy: 'marie.dupont', version: 2 })
    const [completed] = await published.waitFor((e) => e.type === 'campaigns.task.completed')
    t.same(completed!.data, { id: later.id, campaignId: campaign.id })
    await published.waitFor((e) => e.type === 'campaigns.task.created', 3)
  })

  t.test('progress shows stages, goal, conversion, time in stage, stale targets and overdue tasks', async (t) => {
    await feed.interaction({
      id: randomUUID(),
      kind: 'letter',
      occurredAt: new Date(Date.now() - 200 * 86_400_000).toISOString(),
      states: ['UGA'],
    })
    await waitFor(
      'the old letter to Uganda',
      async () => (await get(`/v1/campaigns/${campaign.id}/targets/UGA`)).json().stage === 'contacted',
    )
    const res = await get(`/v1/campaigns/${campaign.id}/progress`)
    t.equal(res.statusCode, 200, res.body)
    const progress = res.json()
    t.match(progress, {
      totalTargets: 4,
      targetsPerStage: { not_engaged: 1, contacted: 1, engaged: 1, declined: 1, joined: 0 },
      goal: { metric: 'engaged', target: 1, achieved: 1, reached: true },
      staleTargets: [{ iso3: 'UGA', stage: 'contacted', daysWithoutContact: 200 }],
      overdueTasks: [{ title: 'Call the mission' }],
    })
    t.match(progress.conversion.slice(0, 2), [
      { from: 'not_engaged', to: 'contacted', entered: 4, advanced: 2, rate: 0.5 },
      { from: 'contacted', to: 'engaged', entered: 2, advanced: 1, rate: 0.5 },
    ])
    const notEngaged = progress.medianDaysInStage.find((m: { stage: string }) => m.stage === 'not_engaged')
    t.match(notEngaged, { stays: 4 })
    t.ok(notEngaged.medianDays >= 0 && notEngaged.medianDays < 1, 'all added today')
  })

  t.test('universalization counts per regional group and the growth year by year', async (t) => {
    const res = await get('/v1/universalization')
    t.equal(res.statusCode, 200, res.body)
    const body = res.json()
    t.match(body, {
      statesParties: 3,
      signatories: 4,
      byRegion: { African: { statesParties: 1, signatories: 3, total: 4 }, WEOG: { statesParties: 1, notSigned: 1 } },
    })
    t.same(
      body.growth.find((g: { year: number }) => g.year === 2011),
      { year: 2011, joined: 1, withdrew: 0, statesParties: 2 },
    )
    t.same(
      body.growth.find((g: { year: number }) => g.year === 2025),
      { year: 2025, joined: 1, withdrew: 1, statesParties: 3 },
      'Vanuatu in, Lithuania out',
    )
    t.equal(body.growth[0].year, 2008)
    t.equal(body.growth.length, new Date().getUTCFullYear() - 2008 + 1, 'every year, with or without deposits')
  })

  t.test('Article 7 reports are recorded once, and what is due and overdue is listed', async (t) => {
    t.match((await post('/v1/reports', { iso3: 'VUT', kind: 'annual', receivedOn: '2026-08-01' })).json(), {
      status: 400,
      invalidParams: [{ name: 'body.year' }],
    })
    t.match((await post('/v1/reports', { iso3: 'FIN', kind: 'initial', receivedOn: '2026-08-01' })).json(), {
      status: 400,
      invalidParams: [{ name: 'body.iso3' }],
    })
    const before = (await get('/v1/reports/due?as_of=2026-11-27&iso3=VUT')).json()
    t.same(
      before.items.map((d: { kind: string; status: string; daysLate: number }) => [d.kind, d.status, d.daysLate]),
      [
        ['initial', 'overdue', 91],
        ['annual', 'due', 0],
      ],
    )
    const recorded = await post('/v1/reports', { iso3: 'VUT', kind: 'initial', receivedOn: '2026-11-20' })
    t.equal(recorded.statusCode, 201, recorded.body)
    t.match((await post('/v1/reports', { iso3: 'VUT', kind: 'initial', receivedOn: '2026-11-21' })).json(), {
      status: 409,
      code: 'CAMPAIGNS_REPORT_ALREADY_RECORDED',
    })
    const after = (await get('/v1/reports/due?as_of=2026-11-27&iso3=VUT')).json()
    t.match(after.items, [{ kind: 'annual', year: 2026, dueOn: '2027-04-30', status: 'due' }])
    const overdue = (await get('/v1/reports/due?as_of=2026-11-27&status=overdue')).json()
    t.same(
      [...new Set(overdue.items.map((d: { iso3: string }) => d.iso3))].sort(),
      ['LTU', 'NGA', 'NOR'],
      'Vanuatu reported; Lithuania owed reports until its withdrawal',
    )
    t.match((await get('/v1/reports/due?as_of=2026-13-01')).json(), {
      status: 400,
      invalidParams: [{ name: 'query.as_of' }],
    })

    const reporting = (
      await post('/v1/campaigns', {
        name: 'Overdue reports',
        objective: 'Every report in by the meeting',
        owner: 'marie.dupont',
      })
    ).json()
    const targets = await post(`/v1/campaigns/${reporting.id}/targets`, { filter: { reports: 'overdue' } })
    t.same(
      targets.json().added.map((a: { iso3: string; stage: string }) => [a.iso3, a.stage]),
      [
        ['NGA', 'in_force'],
        ['NOR', 'in_force'],
      ],
      'States Parties with an overdue report',
    )
  })

  t.test('the OpenAPI document describes every route with examples', async (t) => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json()
    for (const path of [
      '/v1/campaigns',
      '/v1/campaigns/{id}/targets',
      '/v1/campaigns/{id}/targets/{iso3}',
      '/v1/campaigns/{id}/targets/{iso3}/stage',
      '/v1/campaigns/{id}/progress',
      '/v1/tasks',
      '/v1/universalization',
      '/v1/reports',
      '/v1/reports/due',
    ]) {
      t.ok(doc.paths[path], path)
    }
    t.ok(doc.components.schemas.Campaign.example, 'Campaign has an example')
    t.match(doc.info.description, /contacts\.state\.registered/)
  })

  t.test('a state that withdrew and joins again counts in the growth for both periods', async (t) => {
    const rejoined = {
      ...snapshots.LTU,
      status: 'state_party' as const,
      depositedOn: '2026-06-01',
      entryIntoForceOn: '2026-12-01',
      withdrawalNoticeOn: null,
      withdrawalEffectiveOn: null,
    }
    await feed.treatyChanged(snapshots.LTU, rejoined, { id: 901, kind: 'ratification', date: '2026-06-01' }, 113)
    await waitFor(
      'Lithuania joined again',
      async () => (await app.db.query(`SELECT status FROM states WHERE iso3 = 'LTU'`)).rows[0].status === 'state_party',
    )
    const { growth } = (await get('/v1/universalization')).json()
    const year = (y: number) => growth.find((g: { year: number }) => g.year === y)
    t.same(year(2011), { year: 2011, joined: 1, withdrew: 0, statesParties: 2 }, 'the first deposit still counts')
    t.same(year(2025), { year: 2025, joined: 1, withdrew: 1, statesParties: 3 }, 'and the withdrawal')
    t.same(year(2026), { year: 2026, joined: 1, withdrew: 0, statesParties: 4 })
  })
})
