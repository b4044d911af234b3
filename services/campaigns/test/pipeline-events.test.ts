import t from 'tap'
import { randomUUID } from 'node:crypto'
import { collectEvents } from '@ccm/events'
import { waitFor } from '@ccm/testing'
import { build, startApp } from './helper.ts'
import { createContactsFeed, daysFromToday, entryIntoForceFor, snapshots, waitCaughtUp } from './contacts-feed.ts'

t.test('targets move with what contacts publishes', async (t) => {
  const { app, close, world, config, as } = await build(t)
  const editor = await as('editor', 'marie.dupont')
  const groupId = `${config.KAFKA_TOPIC_PREFIX}campaigns`
  const feed = await createContactsFeed(config)
  t.teardown(feed.close)
  const published = await collectEvents(config.KAFKA_BROKERS, [`${config.KAFKA_TOPIC_PREFIX}campaigns.events`])
  t.teardown(published.close)

  const registered = await feed.register(...Object.values(snapshots))
  await waitFor(
    'the states read model',
    async () =>
      (await app.db.query(`SELECT count(*)::int AS n FROM states`)).rows[0].n === Object.keys(snapshots).length,
  )

  const created = await app.inject({
    method: 'POST',
    url: '/v1/campaigns',
    headers: editor,
    payload: {
      name: 'East Africa 2026',
      objective: 'Two ratifications in East Africa',
      owner: 'marie.dupont',
      status: 'active',
      goal: { metric: 'joined', target: 2 },
    },
  })
  t.equal(created.statusCode, 201, created.body)
  const campaign = created.json()
  const added = await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${campaign.id}/targets`,
    headers: editor,
    payload: { iso3: ['KEN', 'UGA', 'TZA', 'FIN', 'NOR', 'JAM'] },
  })
  t.equal(added.statusCode, 201, added.body)
  t.match(Object.fromEntries(added.json().added.map((a: { iso3: string; stage: string }) => [a.iso3, a.stage])), {
    KEN: 'not_engaged',
    NOR: 'in_force',
  })

  let currentApp = app
  const target = async (iso3: string) =>
    (
      await currentApp.inject({ method: 'GET', url: `/v1/campaigns/${campaign.id}/targets/${iso3}`, headers: editor })
    ).json()
  const stageOf = (iso3: string, stage: string) =>
    waitFor(`${iso3} to be ${stage}`, async () => {
      const body = await target(iso3)
      return body.stage === stage ? body : null
    })

  const meeting = await feed.interaction({
    id: randomUUID(),
    kind: 'meeting',
    occurredAt: new Date().toISOString(),
    states: ['KEN'],
    people: [randomUUID()],
  })
  const ugandaRatifies = {
    ...snapshots.UGA,
    status: 'state_party' as const,
    depositedOn: daysFromToday(0),
    how: 'ratification',
    entryIntoForceOn: entryIntoForceFor(daysFromToday(0)),
  }
  let treaty: Awaited<ReturnType<typeof feed.treatyChanged>>

  t.test('a meeting logged in contacts moves a target from not_engaged to engaged', async (t) => {
    const kenya = await stageOf('KEN', 'engaged')
    t.match(kenya.lastContact, { kind: 'meeting', interactionId: meeting.data.id })
    t.match(kenya.transitions.at(-1), {
      from: 'not_engaged',
      to: 'engaged',
      by: null,
      causedByEventId: meeting.id,
      evidenceInteractionId: meeting.data.id,
      reason: /meeting/,
    })

    await feed.interaction({ id: randomUUID(), kind: 'letter', occurredAt: new Date().toISOString(), states: ['JAM'] })
    await feed.interaction({ id: randomUUID(), kind: 'other', occurredAt: new Date().toISOString(), states: ['TZA'] })
    await stageOf('JAM', 'contacted')
    const tanzania = await waitFor('the contact with Tanzania', async () =>
      (await target('TZA')).lastContact ? target('TZA') : null,
    )
    t.equal(tanzania.stage, 'not_engaged', 'an "other" interaction records the contact but moves nothing')

    const [moved] = await published.waitFor(
      (e) => e.type === 'campaigns.target.stage_changed' && (e.data as { iso3: string }).iso3 === 'KEN',
    )
    t.match(moved!.data, { campaignId: campaign.id, from: 'not_engaged', to: 'engaged', causedByEventId: meeting.id })
  })

  t.test(
    'an interaction keeps to the campaign it names, moves targets whatever its date, records only the latest contact',
    async (t) => {
      // Tanzania is also a target of a second campaign; what is logged for that campaign moves its target only.
      const second = (
        await app.inject({
          method: 'POST',
          url: '/v1/campaigns',
          headers: editor,
          payload: { name: 'Second', objective: 'x', owner: 'marie.dupont', status: 'active' },
        })
      ).json()
      await app.inject({
        method: 'POST',
        url: `/v1/campaigns/${second.id}/targets`,
        headers: editor,
        payload: { iso3: ['TZA'] },
      })
      const inSecond = (stage: string) =>
        waitFor(`TZA ${stage} in the second campaign`, async () => {
          const body = (
            await app.inject({ method: 'GET', url: `/v1/campaigns/${second.id}/targets/TZA`, headers: editor })
          ).json()
          return body.stage === stage ? body : null
        })
      const letter = await feed.interaction({
        id: randomUUID(),
        kind: 'letter',
        occurredAt: new Date().toISOString(),
        states: ['TZA'],
        campaignId: second.id,
      })
      await inSecond('contacted')
      const here = await target('TZA')
      t.equal(here.stage, 'not_engaged', 'not moved in the campaign the interaction does not name')
      t.equal(here.lastContact.interactionId, letter.data.id, 'though the contact is recorded there too')

      // A meeting of three days ago, logged late, still moves the target, but the later letter stays its last contact.
      const lateMeeting = await feed.interaction({
        id: randomUUID(),
        kind: 'meeting',
        occurredAt: `${daysFromToday(-3)}T10:00:00.000Z`,
        states: ['TZA'],
        campaignId: second.id,
      })
      const there = await inSecond('engaged')
      t.match(there.transitions.at(-1), { from: 'contacted', to: 'engaged', causedByEventId: lateMeeting.id })
      t.equal(there.lastContact.interactionId, letter.data.id)
    },
  )

  t.test('a signatory that becomes a State Party moves to joined, with a milestone giving the new count', async (t) => {
    treaty = await feed.treatyChanged(
      snapshots.UGA,
      ugandaRatifies,
      { id: 501, kind: 'ratification', date: ugandaRatifies.depositedOn },
      113,
    )
    const uganda = await stageOf('UGA', 'joined')
    t.match(uganda.transitions.at(-1), {
      from: 'not_engaged',
      to: 'joined',
      causedByEventId: treaty.id,
      reason: /ratification/,
    })
    const [milestone] = await published.waitFor((e) => e.type === 'campaigns.milestone.reached')
    t.match(milestone!.data, {
      kind: 'state_joined',
      state: { iso3: 'UGA', name: 'Uganda' },
      statesPartiesCount: 113,
      campaign: { id: campaign.id, name: 'East Africa 2026' },
      causedByEventId: treaty.id,
    })
    const state = await app.db.query(`SELECT status, entry_into_force_on FROM states WHERE iso3 = 'UGA'`)
    t.match(
      state.rows[0],
      { status: 'state_party', entry_into_force_on: ugandaRatifies.entryIntoForceOn },
      'the read model follows',
    )
  })

  t.test('the same events delivered twice change nothing, even if the consumer forgot it had seen them', async (t) => {
    const count = async () =>
      (
        await app.db.query(
          `SELECT (SELECT count(*) FROM target_transitions)::int AS transitions,
              (SELECT count(*) FROM milestones)::int AS milestones,
              (SELECT count(*) FROM outbox)::int AS outbox`,
        )
      ).rows[0]
    const before = await count()
    await feed.send(meeting, treaty)
    await waitCaughtUp(config, groupId)
    t.same(await count(), before, 'duplicates skipped by the idempotent consumer')

    await app.db.query(`DELETE FROM processed_events`)
    await feed.send(
      registered.find((e) => e.subject === 'UGA')!,
      meeting,
      treaty,
    )
    // The same deposit published again under a new event id, as a re-run of the registry would.
    await feed.treatyChanged(
      snapshots.UGA,
      ugandaRatifies,
      { id: 501, kind: 'ratification', date: ugandaRatifies.depositedOn },
      113,
    )
    await waitCaughtUp(config, groupId)
    t.same(
      await count(),
      before,
      'the tables guard too: one transition per event and stage, one milestone per instrument',
    )
    t.equal((await target('UGA')).stage, 'joined')
    const uganda = await app.db.query(`SELECT status FROM states WHERE iso3 = 'UGA'`)
    t.equal(
      uganda.rows[0].status,
      'state_party',
      'the older registry snapshot, replayed, does not overwrite the newer record',
    )
    await waitFor(
      'the outbox to drain',
      async () =>
        (await app.db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)).rows[0].n === 0,
    )
    const joined = published.messages.filter((m) => m.event?.type === 'campaigns.milestone.reached')
    t.equal(joined.length, 1, 'one milestone on the topic')
  })

  t.test('a second State Party reaches the goal: one goal milestone', async (t) => {
    const kenyaRatifies = {
      ...snapshots.KEN,
      status: 'state_party' as const,
      depositedOn: daysFromToday(0),
      how: 'ratification',
      entryIntoForceOn: entryIntoForceFor(daysFromToday(0)),
    }
    const event = await feed.treatyChanged(
      snapshots.KEN,
      kenyaRatifies,
      { id: 502, kind: 'ratification', date: kenyaRatifies.depositedOn },
      114,
    )
    await stageOf('KEN', 'joined')
    const [goal] = await published.waitFor(
      (e) => e.type === 'campaigns.milestone.reached' && (e.data as { kind: string }).kind === 'goal_reached',
    )
    // The read model's count: this test registered nine states, five of them parties by now.
    t.match(goal!.data, {
      state: null,
      statesPartiesCount: 5,
      campaign: { id: campaign.id },
      causedByEventId: event.id,
    })
    const progress = (
      await app.inject({ method: 'GET', url: `/v1/campaigns/${campaign.id}/progress`, headers: editor })
    ).json()
    t.match(progress.goal, { metric: 'joined', target: 2, achieved: 2, reached: true })
    t.equal(progress.targetsPerStage.joined, 2)
    t.match(progress.conversion[0], { from: 'not_engaged', to: 'contacted', entered: 5 })
  })

  t.test('a deposit whose entry into force has come moves the target on to in_force', async (t) => {
    const depositedOn = daysFromToday(-400)
    const tanzania = {
      ...snapshots.TZA,
      status: 'state_party' as const,
      depositedOn,
      how: 'ratification',
      entryIntoForceOn: entryIntoForceFor(depositedOn),
    }
    await feed.treatyChanged(snapshots.TZA, tanzania, { id: 503, kind: 'ratification', date: depositedOn }, 115)
    const after = await stageOf('TZA', 'in_force')
    t.same(
      after.transitions.slice(-2).map((tr: { to: string }) => tr.to),
      ['joined', 'in_force'],
    )
  })

  t.test('the sweep moves joined targets to in_force once the entry into force has come', async (t) => {
    t.equal(await app.campaigns.pipeline.sweepInForce(daysFromToday(0)), 0, 'nothing yet')
    t.equal(
      await app.campaigns.pipeline.sweepInForce(ugandaRatifies.entryIntoForceOn),
      2,
      'Uganda and Kenya, on their day',
    )
    const uganda = await target('UGA')
    t.equal(uganda.stage, 'in_force')
    t.match(uganda.transitions.at(-1), { to: 'in_force', by: null, reason: /entered into force/ })
  })

  t.test('a withdrawal taking effect sends the target back to not_engaged with the reason', async (t) => {
    // Contacts emits the change on the day the withdrawal takes effect (Art. 20(3)), not on the notice.
    const norway = {
      ...snapshots.NOR,
      status: 'withdrawn' as const,
      withdrawalNoticeOn: daysFromToday(-181),
      withdrawalEffectiveOn: daysFromToday(0),
    }
    await feed.treatyChanged(
      snapshots.NOR,
      norway,
      { id: 504, kind: 'withdrawal_effective', date: daysFromToday(0) },
      113,
    )
    const after = await stageOf('NOR', 'not_engaged')
    t.match(after.transitions.at(-1), {
      from: 'in_force',
      to: 'not_engaged',
      reason: new RegExp(
        `Norway withdrew from the Convention: notice of ${daysFromToday(-181)}, effective ${daysFromToday(0)}`,
      ),
    })
  })

  t.test('an erased person is removed from last contacts and tasks', async (t) => {
    const person = randomUUID()
    const occurredAt = new Date().toISOString()
    await feed.interaction({ id: randomUUID(), kind: 'call', occurredAt, states: ['FIN'], people: [person] })
    await stageOf('FIN', 'contacted')
    const task = await app.inject({
      method: 'POST',
      url: '/v1/tasks',
      headers: editor,
      payload: {
        campaignId: campaign.id,
        iso3: 'FIN',
        title: 'Follow up the call',
        assignee: 'marie.dupont',
        personId: person,
      },
    })
    t.equal(task.statusCode, 201, task.body)
    await feed.emit('contacts.person.erased', person, { id: person })
    await waitFor('the person to be forgotten', async () => {
      const { rows } = await app.db.query(
        `SELECT (SELECT count(*) FROM targets WHERE $1 = ANY(last_contact_people))::int
                + (SELECT count(*) FROM tasks WHERE person_id = $1)::int AS n`,
        [person],
      )
      return rows[0].n === 0
    })
    const audit = await app.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'person.erased'`)
    t.equal(audit.rows[0].n, 2, 'the target and the task')
  })

  t.test('events produced while campaigns was stopped are applied when it starts again', async (t) => {
    await waitCaughtUp(config, groupId)
    await close()
    const stoppedAt = new Date().toISOString()
    await feed.interaction({ id: randomUUID(), kind: 'demarche', occurredAt: stoppedAt, states: ['FIN'] })
    const meanwhile = await feed.interaction({
      id: randomUUID(),
      kind: 'event',
      occurredAt: stoppedAt,
      states: ['JAM'],
    })
    const restarted = await startApp(t, world)
    currentApp = restarted.app
    const jamaica = await stageOf('JAM', 'engaged')
    t.match(jamaica.transitions.at(-1), { from: 'contacted', to: 'engaged', causedByEventId: meanwhile.id })
    const finland = await waitFor('the démarche to Finland', async () => {
      const body = await target('FIN')
      return body.lastContact?.kind === 'demarche' ? body : null
    })
    t.equal(finland.stage, 'contacted', 'a démarche after a call does not move it further')
    const replays = await restarted.app.db.query(
      `SELECT count(*)::int AS n FROM target_transitions WHERE iso3 = 'KEN' AND to_stage = 'engaged'`,
    )
    t.equal(replays.rows[0].n, 1, 'what was applied before is not applied again')
  })
})
