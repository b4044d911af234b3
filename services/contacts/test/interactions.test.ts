import t from 'tap'
import { collectEvents } from '@ccm/events'
import { build } from './helper.ts'
import { factories } from './factories.ts'

const today = () => new Date().toISOString().slice(0, 10)
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)

t.test('the interaction log', async (t) => {
  const built = await build(t)
  const { app, as, config } = built
  const viewer = await as('viewer', 'intern')
  const editor = await as('editor', 'marie.dupont')
  const admin = await as('admin', 'head.isu')
  const make = factories(t, built, editor)
  const collector = await collectEvents(config.KAFKA_BROKERS, [`${config.KAFKA_TOPIC_PREFIX}contacts.events`])
  t.teardown(() => collector.close())
  const mission = await make.organization({
    type: 'permanent_mission',
    name: 'Permanent Mission of Kenya',
    country: 'KEN',
  })
  const ambassador = await make.person({ givenName: 'Wanjiru', familyName: 'Odhiambo' })
  const campaignId = '3f1d2c4b-5a69-4e7f-8a1b-2c3d4e5f6a7b'

  let meeting: { id: string; version: number; followUp: { id: string } }

  t.test('a meeting is logged with its author, links and follow-up, and announced without its notes', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/interactions',
      headers: editor,
      payload: {
        kind: 'meeting',
        occurredAt: '2026-03-02T10:30:00+01:00',
        summary: 'Bilateral on the accession timetable',
        notes: 'Cabinet approval expected before the recess.',
        states: ['ken'],
        organizations: [mission.id],
        people: [ambassador.id],
        campaignId,
        confidentiality: 'restricted',
        followUp: { dueOn: daysFromToday(-2), assignee: 'marie.dupont' },
      },
    })
    t.equal(res.statusCode, 201, res.body)
    meeting = res.json()
    t.match(meeting, {
      author: 'marie.dupont',
      occurredAt: '2026-03-02T09:30:00.000Z',
      states: ['KEN'],
      organizations: [mission.id],
      people: [ambassador.id],
      notes: 'Cabinet approval expected before the recess.',
      notesRestricted: false,
      campaignId,
      followUp: { assignee: 'marie.dupont', done: false, overdue: true },
      version: 1,
    })
    const [logged] = await collector.waitFor(
      (e) => e.type === 'contacts.interaction.logged' && e.subject === meeting.id,
    )
    t.same(logged!.data, {
      id: meeting.id,
      kind: 'meeting',
      occurredAt: '2026-03-02T09:30:00.000Z',
      states: ['KEN'],
      organizations: [mission.id],
      people: [ambassador.id],
      campaignId,
      author: 'marie.dupont',
    })
    t.notMatch(JSON.stringify(logged), /Cabinet/, 'the notes never travel on Kafka')
    const [followUp] = await collector.waitFor(
      (e) =>
        e.type === 'contacts.followup.created' &&
        e.data !== null &&
        (e.data as { interactionId: string }).interactionId === meeting.id,
    )
    t.match(followUp!.data, { assignee: 'marie.dupont', dueOn: daysFromToday(-2) })
    const audit = await app.db.query(
      `SELECT after FROM audit_log WHERE entity_type = 'interaction' AND entity_id = $1`,
      [meeting.id],
    )
    t.notMatch(JSON.stringify(audit.rows), /Cabinet/, 'nor are they copied into the audit log')
  })

  t.test('a restricted note is hidden from a viewer and shown to editors and admins', async (t) => {
    const asViewer = await app.inject({ method: 'GET', url: `/v1/interactions/${meeting.id}`, headers: viewer })
    t.equal(asViewer.statusCode, 200)
    t.match(asViewer.json(), { notes: null, notesRestricted: true, summary: 'Bilateral on the accession timetable' })
    t.notMatch(asViewer.body, /Cabinet/)
    const inList = await app.inject({ method: 'GET', url: '/v1/interactions?state=KEN', headers: viewer })
    t.notMatch(inList.body, /Cabinet/, 'nor in the list')
    const asAdmin = await app.inject({ method: 'GET', url: `/v1/interactions/${meeting.id}`, headers: admin })
    t.match(asAdmin.json(), { notes: 'Cabinet approval expected before the recess.', notesRestricted: false })
    const asEditor = await app.inject({
      method: 'GET',
      url: `/v1/interactions?personId=${ambassador.id}`,
      headers: editor,
    })
    t.equal(asEditor.json().items[0].notes, 'Cabinet approval expected before the recess.')
    const normal = await make.interaction({
      kind: 'call',
      occurredAt: '2026-03-01T16:00:00Z',
      summary: 'Call',
      notes: 'Open notes',
      states: ['KEN'],
    })
    const normalAsViewer = await app.inject({ method: 'GET', url: `/v1/interactions/${normal.id}`, headers: viewer })
    t.match(normalAsViewer.json(), { notes: 'Open notes', notesRestricted: false })
  })

  t.test('follow-ups are listed open and overdue, and completing one is announced', async (t) => {
    await make.interaction({ summary: 'Later', followUp: { dueOn: daysFromToday(10), assignee: 'marie.dupont' } })
    await make.interaction({ summary: 'Other', followUp: { dueOn: daysFromToday(1), assignee: 'john.smith' } })
    const open = await app.inject({ method: 'GET', url: '/v1/follow-ups?assignee=marie.dupont', headers: viewer })
    t.same(
      open.json().items.map((f: { overdue: boolean }) => f.overdue),
      [true, false],
      'soonest due first',
    )
    const overdue = await app.inject({ method: 'GET', url: '/v1/follow-ups?status=overdue', headers: viewer })
    t.same(
      overdue.json().items.map((f: { interactionId: string }) => f.interactionId),
      [meeting.id],
    )
    const dueSoon = await app.inject({
      method: 'GET',
      url: `/v1/follow-ups?due_before=${daysFromToday(2)}`,
      headers: viewer,
    })
    t.equal(dueSoon.json().total, 2)

    const done = await app.inject({
      method: 'PATCH',
      url: `/v1/interactions/${meeting.id}`,
      headers: editor,
      payload: { followUp: { done: true }, version: 1 },
    })
    t.equal(done.statusCode, 200, done.body)
    t.match(done.json(), { version: 2, followUp: { done: true, completedBy: 'marie.dupont', overdue: false } })
    const [completed] = await collector.waitFor(
      (e) => e.type === 'contacts.followup.completed' && e.subject === meeting.followUp.id,
    )
    t.same(completed!.data, { id: meeting.followUp.id, interactionId: meeting.id, completedBy: 'marie.dupont' })
    const overdueAfter = await app.inject({ method: 'GET', url: '/v1/follow-ups?status=overdue', headers: viewer })
    t.equal(overdueAfter.json().total, 0)
    const doneList = await app.inject({ method: 'GET', url: '/v1/follow-ups?status=done', headers: viewer })
    t.equal(doneList.json().total, 1)
  })

  t.test('a stale version gets 409 and changes nothing', async (t) => {
    const stale = await app.inject({
      method: 'PATCH',
      url: `/v1/interactions/${meeting.id}`,
      headers: editor,
      payload: { summary: 'Rewritten', version: 1 },
    })
    t.equal(stale.statusCode, 409)
    t.match(stale.json(), { code: 'CONTACTS_STALE_VERSION' })
    const current = await app.inject({ method: 'GET', url: `/v1/interactions/${meeting.id}`, headers: editor })
    t.match(current.json(), { summary: 'Bilateral on the accession timetable', version: 2 })
    const ok = await app.inject({
      method: 'PATCH',
      url: `/v1/interactions/${meeting.id}`,
      headers: { ...editor, 'if-match': '"2"' },
      payload: { summary: 'Bilateral on accession' },
    })
    t.equal(ok.statusCode, 200)
    const [updated] = await collector.waitFor(
      (e) => e.type === 'contacts.interaction.updated' && e.subject === meeting.id,
    )
    t.same(updated!.data, { id: meeting.id, changedFields: ['summary'] })
  })

  t.test("a state's timeline mixes its treaty steps and interactions, newest first, paginated", async (t) => {
    await make.interaction({
      kind: 'letter',
      occurredAt: '2009-01-01T09:00:00Z',
      summary: 'Letter before signature',
      states: ['KEN'],
    })
    const res = await app.inject({ method: 'GET', url: '/v1/states/ken/timeline?limit=3', headers: viewer })
    t.equal(res.statusCode, 200, res.body)
    const page1 = res.json()
    t.same(
      page1.items.map((e: { title: string }) => e.title),
      ['Bilateral on accession', 'Call', 'Letter before signature'],
    )
    t.equal(page1.items[0].id, meeting.id)
    const ats = page1.items.map((e: { at: string }) => e.at)
    t.same(ats, [...ats].sort().reverse(), 'newest first')
    t.notMatch(res.body, /Cabinet/, 'notes stay out of timelines')
    const page2 = await app.inject({ method: 'GET', url: '/v1/states/KEN/timeline?limit=3&offset=3', headers: viewer })
    t.same(
      page2.json().items.map((e: { kind: string; title: string }) => `${e.kind}:${e.title}`),
      ['treaty_step:signature'],
    )
    t.equal(page2.json().items[0].at, '2008-12-03', 'the signature, dated by the depositary')
    t.equal(page1.total, 4)
    const history = (await app.inject({ method: 'GET', url: '/v1/states/KEN/history', headers: viewer })).json().items
    t.equal(history.length, 1, 'Kenya has one recorded step (its signature)')

    const person = await app.inject({ method: 'GET', url: `/v1/people/${ambassador.id}/timeline`, headers: viewer })
    t.same(
      person.json().items.map((e: { id: string }) => e.id),
      [meeting.id],
    )
    const unknown = await app.inject({ method: 'GET', url: '/v1/states/XYZ/timeline', headers: viewer })
    t.equal(unknown.statusCode, 404)
  })

  t.test('bad input gets 400 naming the field', async (t) => {
    const base = { kind: 'meeting', occurredAt: '2026-03-02T10:30:00+01:00', summary: 'S' }
    const cases: [object, string][] = [
      [{ ...base, kind: 'lunch' }, 'body.kind'],
      [{ ...base, occurredAt: '2026-03-02 10:30' }, 'body.occurredAt'],
      [{ ...base, summary: '' }, 'body.summary'],
      [{ ...base, states: ['KENYA'] }, 'body.states.0'],
      [{ ...base, states: ['XYZ'] }, 'body.states.0'],
      [{ ...base, people: ['00000000-0000-4000-8000-000000000000'] }, 'body.people.0'],
      [{ ...base, organizations: [mission.id, mission.id] }, 'body.organizations'],
      [{ ...base, confidentiality: 'secret' }, 'body.confidentiality'],
      [{ ...base, campaignId: 'c1' }, 'body.campaignId'],
      [{ ...base, followUp: { dueOn: '2026-13-01', assignee: 'x' } }, 'body.followUp.dueOn'],
      [{ ...base, followUp: { dueOn: today() } }, 'body.followUp.assignee'],
    ]
    for (const [payload, field] of cases) {
      const res = await app.inject({ method: 'POST', url: '/v1/interactions', headers: editor, payload })
      t.equal(res.statusCode, 400, `${JSON.stringify(payload)} → ${res.body}`)
      t.ok(
        res.json().invalidParams?.some((p: { name: string }) => p.name === field),
        `names ${field}: ${res.body}`,
      )
    }
    const badStatus = await app.inject({ method: 'GET', url: '/v1/follow-ups?status=late', headers: viewer })
    t.match(badStatus.json(), { status: 400, invalidParams: [{ name: 'query.status' }] })
    const badDue = await app.inject({ method: 'GET', url: '/v1/follow-ups?due_before=soon', headers: viewer })
    t.match(badDue.json(), { status: 400, invalidParams: [{ name: 'query.due_before' }] })
    const asViewer = await app.inject({ method: 'POST', url: '/v1/interactions', headers: viewer, payload: base })
    t.equal(asViewer.statusCode, 403)
  })
})
