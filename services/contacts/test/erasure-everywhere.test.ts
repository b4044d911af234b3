import t from 'tap'
import type { Queryable } from '@ccm/db'
import { waitFor } from '@ccm/testing'
import { build as buildCampaigns } from '../../campaigns/test/helper.ts'
import { build as buildMeetings } from '../../meetings/test/helper.ts'
import { build as buildSocial } from '../../social/test/helper.ts'
import { build } from './helper.ts'
import { factories } from './factories.ts'

/**
 * Which of `values` some row still holds, in any text, json, uuid or array column of any table
 * (case aside), leaving out what `exempt` names: a table, or a condition its rows must meet.
 */
async function leftovers(
  db: Queryable,
  values: string[],
  exempt: Record<string, string | true> = {},
): Promise<string[]> {
  const { rows: columns } = await db.query(
    `SELECT c.table_schema, c.table_name, c.column_name
       FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
        AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'uuid', 'ARRAY')`,
  )
  const found: string[] = []
  for (const { table_schema: schema, table_name: table, column_name: column } of columns) {
    const rule = exempt[table]
    if (rule === true) continue
    const { rows } = await db.query(
      `SELECT v FROM unnest($1::text[]) v
        WHERE EXISTS (SELECT 1 FROM "${schema}"."${table}"
                       WHERE strpos(lower("${column}"::text), lower(v)) > 0 ${rule ? `AND NOT (${rule})` : ''})`,
      [values],
    )
    found.push(...rows.map((r) => `${table}.${column}: ${r.v}`))
  }
  return found
}

t.test('an erased person leaves no trace in any service’s database but the erasure record', async (t) => {
  const campaigns = await buildCampaigns(t)
  const topics = { KAFKA_TOPIC_PREFIX: campaigns.config.KAFKA_TOPIC_PREFIX }
  const built = await build(t, topics)
  const social = await buildSocial(t, topics)
  const meetings = await buildMeetings(t, topics)
  const { app, as } = built
  const editor = await as('editor', 'marie.dupont')
  const admin = await as('admin', 'head.isu')
  const planner = await campaigns.as('editor', 'marie.dupont')
  const make = factories(t, built, editor)
  const contacts = app.inject.bind(app)
  const inCampaigns = campaigns.app.inject.bind(campaigns.app)

  const mission = await make.organization({
    type: 'permanent_mission',
    name: 'Permanent Mission of the Netherlands',
    shortName: 'PM NL',
    country: 'NLD',
  })
  const ministry = await make.organization({
    type: 'ministry',
    name: 'Ministry of Foreign Affairs of the Netherlands',
    country: 'NLD',
  })
  const bystander = await make.person({
    givenName: 'Kwabena',
    familyName: 'Mensah-Ofori',
    emails: ['k.mensah@ghana.example'],
  })

  await waitFor(
    'the registry to reach campaigns',
    async () => (await campaigns.app.db.query(`SELECT count(*)::int AS n FROM states`)).rows[0].n === 197,
    30_000,
  )
  const campaign = (
    await inCampaigns({
      method: 'POST',
      url: '/v1/campaigns',
      headers: planner,
      payload: {
        name: 'Benelux 2026',
        objective: 'Keep the Netherlands engaged',
        owner: 'marie.dupont',
        status: 'active',
      },
    })
  ).json()
  t.equal(
    (
      await inCampaigns({
        method: 'POST',
        url: `/v1/campaigns/${campaign.id}/targets`,
        headers: planner,
        payload: { iso3: ['NLD'] },
      })
    ).statusCode,
    201,
  )

  // Imported (a dry run first, whose report names her too), then found by search.
  const csv =
    'given_name,family_name,email,organization,role,phone\n' +
    'Ottilie,Vandermeer-Quist,o.vandermeer@minbuza.example,PM NL,Counsellor,+41 22 555 0101\n' +
    'Pieter,de Graaf,p.degraaf@minbuza.example,PM NL,Attaché,\n'
  for (const url of ['/v1/imports/people?dryRun=true', '/v1/imports/people']) {
    const res = await contacts({
      method: 'POST',
      url,
      headers: { ...editor, 'content-type': 'text/csv' },
      payload: csv,
    })
    t.equal(res.statusCode, 200, res.body)
  }
  const found = await contacts({ method: 'GET', url: '/v1/search?q=vandermeer', headers: editor })
  const person = found.json().items.find((i: { type: string }) => i.type === 'person')
  t.ok(person, found.body)
  const id: string = person.id

  // A second record of her, with a task of its own, merged into her; then a role, a change, a meeting and a task.
  const duplicate = await make.person({
    givenName: 'Ottilie',
    familyName: 'Vandermeer',
    emails: ['ottilie@vandermeer.example'],
    phones: ['+31 70 555 0199'],
    notes: 'Prefers Dutch',
  })
  const task = (personId: string, title: string) =>
    inCampaigns({
      method: 'POST',
      url: '/v1/tasks',
      headers: planner,
      payload: { campaignId: campaign.id, iso3: 'NLD', title, assignee: 'marie.dupont', personId },
    })
  t.equal((await task(duplicate.id, 'Send the accession kit')).statusCode, 201)
  const merged = await contacts({
    method: 'POST',
    url: `/v1/people/${id}/merge`,
    headers: editor,
    payload: { duplicateIds: [duplicate.id] },
  })
  t.equal(merged.statusCode, 200, merged.body)
  const role = await contacts({
    method: 'POST',
    url: `/v1/people/${id}/affiliations`,
    headers: editor,
    payload: { organizationId: ministry.id, role: 'Adviser' },
  })
  t.equal(role.statusCode, 201, role.body)
  const patched = await contacts({
    method: 'PATCH',
    url: `/v1/people/${id}`,
    headers: editor,
    payload: { jobTitle: 'Deputy Head of Mission', version: merged.json().version + 1 },
  })
  t.equal(patched.statusCode, 200, patched.body)
  const meeting = await make.interaction({
    summary: 'Meeting with Ottilie Vandermeer-Quist',
    notes: 'Write to o.vandermeer@minbuza.example or call +41 22 555 0101',
    people: [id, bystander.id],
    states: ['NLD'],
    organizations: [mission.id],
  })
  t.equal((await task(id, 'Invite to the intersessional')).statusCode, 201)
  await waitFor(
    'the meeting to reach campaigns',
    async () =>
      (await campaigns.app.db.query(`SELECT 1 FROM targets WHERE $1 = ANY(last_contact_people)`, [id])).rows.length ===
      1,
    20_000,
  )

  // A delegate of the Netherlands at a meeting, sponsored by the Programme (entered by one editor, decided by another).
  await waitFor(
    'the registry to reach meetings',
    async () => (await meetings.app.db.query(`SELECT count(*)::int AS n FROM states`)).rows[0].n === 197,
    30_000,
  )
  const inMeetings = meetings.app.inject.bind(meetings.app)
  const isu = await meetings.as('editor', 'marie.dupont')
  const approver = await meetings.as('editor', 'paolo.rossi')
  const msp = (
    await inMeetings({
      method: 'POST',
      url: '/v1/meetings',
      headers: isu,
      payload: { kind: 'msp', number: 14, title: 'Fourteenth Meeting of States Parties', startsOn: '2026-09-14' },
    })
  ).json()
  const delegation = (
    await inMeetings({
      method: 'POST',
      url: `/v1/meetings/${msp.id}/delegations`,
      headers: isu,
      payload: { iso3: 'NLD' },
    })
  ).json()
  const member = await inMeetings({
    method: 'POST',
    url: `/v1/meetings/${msp.id}/delegations/${delegation.id}/members`,
    headers: isu,
    payload: { members: [{ personId: id, name: 'Ottilie Vandermeer-Quist', function: 'head_of_delegation' }] },
  })
  t.equal(member.statusCode, 201, member.body)
  const sponsorship = `/v1/meetings/${msp.id}/sponsorship`
  await inMeetings({
    method: 'PUT',
    url: `${sponsorship}/budget`,
    headers: isu,
    payload: { amountMinor: 500_000, currency: 'CHF' },
  })
  const application = (
    await inMeetings({
      method: 'POST',
      url: `${sponsorship}/applications`,
      headers: isu,
      payload: {
        personId: id,
        name: 'Ottilie Vandermeer-Quist',
        iso3: 'NLD',
        function: 'Counsellor',
        motivation: 'Chairs the working group',
      },
    })
  ).json()
  const decision = await inMeetings({
    method: 'POST',
    url: `${sponsorship}/applications/${application.id}/decision`,
    headers: approver,
    payload: { decision: 'approved', reason: 'Ottilie Vandermeer-Quist chairs the working group' },
  })
  t.equal(decision.statusCode, 200, decision.body)

  const erased = await contacts({ method: 'POST', url: `/v1/people/${id}/erase`, headers: admin })
  t.equal(erased.statusCode, 200, erased.body)
  t.same(erased.json().erasedIds.sort(), [id, duplicate.id].sort())
  await waitFor(
    'campaigns to forget both records',
    async () =>
      (
        await campaigns.app.db.query(
          `SELECT count(*)::int AS n FROM processed_events WHERE event_type = 'contacts.person.erased'`,
        )
      ).rows[0].n === 2,
    20_000,
  )

  await waitFor(
    'meetings to forget both records',
    async () =>
      (
        await meetings.app.db.query(
          `SELECT count(*)::int AS n FROM processed_events WHERE event_type = 'contacts.person.erased'`,
        )
      ).rows[0].n === 2,
    20_000,
  )

  const values = [
    'Ottilie',
    'Vandermeer',
    'Quist',
    'o.vandermeer@minbuza.example',
    'ottilie@vandermeer.example',
    '555 0101',
    '555 0199',
    id,
    duplicate.id,
  ]
  // The erasure record itself: who was erased, by whom and when, and the notice to the other services.
  t.same(
    await leftovers(app.db, values, { erasures: true, outbox: `type = 'contacts.person.erased'` }),
    [],
    'nothing in contacts',
  )
  t.same(await leftovers(campaigns.app.db, values), [], 'nothing in campaigns')
  t.same(await leftovers(social.app.db, values), [], 'nothing in social')
  t.same(await leftovers(meetings.app.db, values), [], 'nothing in meetings')

  t.test(
    'what stays is anonymous: the meeting, the other people, the tasks, the import counts, the history',
    async (t) => {
      const kept = (await contacts({ method: 'GET', url: `/v1/interactions/${meeting.id}`, headers: admin })).json()
      t.match(kept, {
        people: [bystander.id],
        erasedParticipants: 1,
        summary: 'Meeting with [erased]',
        notes: 'Write to [erased] or call [erased]',
      })
      const pieter = await contacts({ method: 'GET', url: '/v1/search?q=graaf', headers: editor })
      t.equal(pieter.json().items.length, 1, 'the other imported person is still found')
      const tasks = (
        await inCampaigns({ method: 'GET', url: `/v1/tasks?campaignId=${campaign.id}`, headers: planner })
      ).json()
      t.same(
        tasks.items.map((k: { personId: string | null }) => k.personId),
        [null, null],
      )
      const history = await app.db.query(
        `SELECT a.action FROM audit_log a JOIN erasures e ON a.entity_id = 'erased:' || e.reference
          WHERE e.person_id = $1 ORDER BY a.id`,
        [id],
      )
      t.match(
        history.rows.map((r) => r.action),
        ['import.create', /^merge\./, 'affiliation.create', 'update', 'erase'],
        'what was done to her, and when, under the erasure reference',
      )
      const imports = await app.db.query(`SELECT report FROM imports WHERE NOT dry_run`)
      t.match(imports.rows[0].report, [
        { row: 1, action: 'create', email: '[erased]', personId: null },
        { row: 2, email: 'p.degraaf@minbuza.example' },
      ])
    },
  )
})
