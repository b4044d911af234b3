import t from 'tap'
import { randomUUID } from 'node:crypto'
import { collectEvents, createEnvelope, eventCatalogue, type EventData } from '@ccm/events'
import { waitFor } from '@ccm/testing'
import { build } from './helper.ts'
import { createContactsFeed, snapshots, waitCaughtUp } from './contacts-feed.ts'

type Attendance = EventData<'meetings.attendance.recorded'>

t.test('a state attending a meeting as an observer or signatory moves its target to engaged, once', async (t) => {
  const { app, config, as } = await build(t)
  const editor = await as('editor', 'marie.dupont')
  const feed = await createContactsFeed(config)
  t.teardown(feed.close)
  const published = await collectEvents(config.KAFKA_BROKERS, [`${config.KAFKA_TOPIC_PREFIX}campaigns.events`])
  t.teardown(published.close)
  await feed.register(snapshots.FIN, snapshots.KEN, snapshots.NOR, snapshots.JAM)
  await waitFor('the states read model', async () => (await app.db.query(`SELECT 1 FROM states`)).rows.length === 4)

  const campaign = (
    await app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: editor,
      payload: { name: 'Nordics and Africa', objective: 'Engage them', owner: 'marie.dupont', status: 'active' },
    })
  ).json()
  const added = await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${campaign.id}/targets`,
    headers: editor,
    payload: { iso3: ['FIN', 'KEN', 'NOR', 'JAM'] },
  })
  t.equal(added.statusCode, 201, added.body)
  const considering = await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${campaign.id}/targets/JAM/stage`,
    headers: editor,
    payload: { stage: 'considering', reason: 'The minister said so' },
  })
  t.equal(considering.statusCode, 200, considering.body)

  const meetingId = randomUUID()
  const attendance = (iso3: string, capacity: Attendance['capacity'], day = '2026-09-14') =>
    createEnvelope({
      source: '/ccm/meetings',
      type: 'meetings.attendance.recorded',
      subject: iso3,
      data: eventCatalogue['meetings.attendance.recorded'].parse({
        delegationId: randomUUID(),
        meetingId,
        iso3,
        organizationId: null,
        capacity,
        meetingTitle: 'Third Review Conference',
        day,
        attendees: 3,
      }),
      actor: 'marie.dupont',
      correlationId: `test-attendance-${iso3}`,
    })
  const finland = attendance('FIN', 'observer_state')
  // The same event twice (a relay's retry), then the next day's, and the States Party and the target further on.
  await feed.send(
    finland,
    finland,
    attendance('KEN', 'signatory'),
    attendance('NOR', 'state_party'),
    attendance('JAM', 'observer_state'),
    attendance('FIN', 'observer_state', '2026-09-15'),
  )
  await waitCaughtUp(config, `${config.KAFKA_TOPIC_PREFIX}campaigns`, 'meetings.events')

  const stages = await app.db.query(`SELECT iso3, stage FROM targets WHERE campaign_id = $1 ORDER BY iso3`, [
    campaign.id,
  ])
  t.same(
    Object.fromEntries(stages.rows.map((r) => [r.iso3, r.stage])),
    { FIN: 'engaged', JAM: 'considering', KEN: 'engaged', NOR: 'in_force' },
    'observers and signatories engaged; a target further on and a State Party left alone',
  )
  const moves = await app.db.query(
    `SELECT iso3, caused_by_event_id, reason FROM target_transitions WHERE campaign_id = $1 AND to_stage = 'engaged'
      ORDER BY iso3`,
    [campaign.id],
  )
  t.equal(moves.rows.length, 2, 'one move each for Finland and Kenya')
  t.match(moves.rows[0], {
    iso3: 'FIN',
    caused_by_event_id: finland.id,
    reason: `attended Third Review Conference (meeting ${meetingId}) as an observer state on 2026-09-14`,
  })
  const isEngaged = (e: { type: string; data: unknown }) =>
    e.type === 'campaigns.target.stage_changed' && (e.data as { to: string }).to === 'engaged'
  await published.waitFor(isEngaged, 2)
  const announced = published.messages.filter((m) => m.event && isEngaged(m.event)).map((m) => m.key)
  t.same(announced, [campaign.id, campaign.id], 'two stage_changed events, Finland’s and Kenya’s')
  t.same(
    published.messages
      .filter((m) => m.event && isEngaged(m.event))
      .map((m) => (m.event!.data as { iso3: string }).iso3)
      .sort(),
    ['FIN', 'KEN'],
  )
})
