import t from 'tap'
import { waitFor } from '@ccm/testing'
import { build } from './helper.ts'
import { factories } from './factories.ts'

const mirrorGroup = 'test-people-mirror'

t.test('duplicates, merge and erasure', async (t) => {
  // Stands in for another service's copy of people: it follows merges and forgets erased people.
  const built = await build(
    t,
    {},
    {
      beforeReady: (app) =>
        app.events.consume({
          groupId: mirrorGroup,
          topics: ['contacts.events'],
          handlers: {
            'contacts.person.merged': async (event, { client }) => {
              await client.query(`UPDATE people_mirror SET person_id = $1 WHERE person_id = ANY($2::uuid[])`, [
                event.data.survivorId,
                event.data.mergedIds,
              ])
            },
            'contacts.person.erased': async (event, { client }) => {
              await client.query(`DELETE FROM people_mirror WHERE person_id = $1`, [event.data.id])
            },
          },
        }),
    },
  )
  const { app, as } = built
  await app.db.query(`CREATE TABLE people_mirror (label text PRIMARY KEY, person_id uuid NOT NULL)`)
  const viewer = await as('viewer')
  const editor = await as('editor', 'marie.dupont')
  const admin = await as('admin', 'head.isu')
  const make = factories(t, built, editor)
  const mission = await make.organization({
    type: 'permanent_mission',
    name: 'Permanent Mission of Ghana',
    country: 'GHA',
  })
  const role = (r: string) => [{ organizationId: mission.id, role: r, primary: true }]

  const survivor = await make.person({
    givenName: 'Jonathan',
    familyName: 'Smith',
    emails: ['j.smith@ghana.example'],
    tags: ['a'],
    affiliations: role('Counsellor'),
  })
  const sameEmail = await make.person({
    givenName: 'J.',
    familyName: 'Smith',
    emails: ['jsmith@home.example', 'j.smith@ghana.example'],
    tags: ['b'],
    phones: ['+233 30 000 0000'],
  })
  const similarName = await make.person({
    givenName: 'Jonathon',
    familyName: 'Smith',
    affiliations: role('First Secretary'),
  })
  const bystander = await make.person({ givenName: 'Kwame', familyName: 'Asante' })
  const withDuplicate = await make.interaction({ summary: 'Call with J. Smith', people: [sameEmail.id] })
  const withBoth = await make.interaction({ summary: 'Meeting', people: [survivor.id, similarName.id, bystander.id] })
  await app.db.query(`INSERT INTO people_mirror VALUES ('survivor', $1), ('same-email', $2), ('similar', $3)`, [
    survivor.id,
    sameEmail.id,
    similarName.id,
  ])

  t.test(
    'duplicates are found by a shared address, and by similar names of one state and in one interaction',
    async (t) => {
      const res = await app.inject({ method: 'GET', url: '/v1/people/duplicates', headers: viewer })
      t.equal(res.statusCode, 200, res.body)
      const groups = res.json().items.map(
        (g: { reason: string; people: { id: string }[] }) =>
          `${g.reason}:${g.people
            .map((p) => p.id)
            .sort()
            .join(',')}`,
      )
      t.same(groups.sort(), [
        `same_email:${[survivor.id, sameEmail.id].sort().join(',')}`,
        `similar_name_same_interaction:${[survivor.id, similarName.id].sort().join(',')}`,
        `similar_name_same_state:${[survivor.id, similarName.id].sort().join(',')}`,
      ])
    },
  )

  t.test('a merge keeps every interaction, role and address on the survivor, and its event is consumed', async (t) => {
    const stale = await app.inject({
      method: 'POST',
      url: `/v1/people/${survivor.id}/merge`,
      headers: editor,
      payload: { duplicateIds: [sameEmail.id], version: 7 },
    })
    t.equal(stale.statusCode, 409, 'a stale version of the survivor changes nothing')

    const res = await app.inject({
      method: 'POST',
      url: `/v1/people/${survivor.id}/merge`,
      headers: editor,
      payload: { duplicateIds: [sameEmail.id, similarName.id], version: 1 },
    })
    t.equal(res.statusCode, 200, res.body)
    const merged = res.json()
    t.same(merged.emails, ['j.smith@ghana.example', 'jsmith@home.example'])
    t.same(merged.tags, ['a', 'b'])
    t.same(merged.phones, ['+233 30 000 0000'])
    t.same(merged.affiliations.map((a: { role: string; primary: boolean }) => `${a.role}:${a.primary}`).sort(), [
      'Counsellor:true',
      'First Secretary:false',
    ])
    t.equal(merged.version, 2)

    const interactions = await app.inject({
      method: 'GET',
      url: `/v1/interactions?personId=${survivor.id}`,
      headers: viewer,
    })
    t.same(
      interactions
        .json()
        .items.map((i: { id: string }) => i.id)
        .sort(),
      [withDuplicate.id, withBoth.id].sort(),
    )
    const both = await app.inject({ method: 'GET', url: `/v1/interactions/${withBoth.id}`, headers: viewer })
    t.same(both.json().people.sort(), [survivor.id, bystander.id].sort(), 'listed once, next to the others')

    const gone = await app.inject({ method: 'GET', url: `/v1/people/${sameEmail.id}`, headers: viewer })
    t.equal(gone.statusCode, 404)
    t.match(gone.json(), { code: 'CONTACTS_PERSON_MERGED', detail: new RegExp(survivor.id) })
    const record = await app.db.query(`SELECT survivor_id, merged_ids, merged_by FROM merges`)
    t.same(record.rows, [
      { survivor_id: survivor.id, merged_ids: [sameEmail.id, similarName.id], merged_by: 'marie.dupont' },
    ])

    const mirror = await waitFor(
      'the merge to reach the mirror',
      async () => {
        const { rows } = await app.db.query(`SELECT label, person_id FROM people_mirror ORDER BY label`)
        return rows.every((r) => r.person_id === survivor.id) ? rows : null
      },
      20_000,
    )
    t.equal(mirror.length, 3, 'the consumer pointed every copy at the survivor')
    const processed = await app.db.query(`SELECT event_type FROM processed_events WHERE consumer_group = $1`, [
      mirrorGroup,
    ])
    t.same(processed.rows, [{ event_type: 'contacts.person.merged' }])

    const again = await app.inject({ method: 'GET', url: '/v1/people/duplicates', headers: viewer })
    t.equal(again.json().total, 0, 'no longer reported')
  })

  t.test('a merge refuses what does not fit, naming the field', async (t) => {
    const itself = await app.inject({
      method: 'POST',
      url: `/v1/people/${survivor.id}/merge`,
      headers: editor,
      payload: { duplicateIds: [survivor.id] },
    })
    t.match(itself.json(), { status: 400, invalidParams: [{ name: 'body.duplicateIds' }] })
    const already = await app.inject({
      method: 'POST',
      url: `/v1/people/${survivor.id}/merge`,
      headers: editor,
      payload: { duplicateIds: [sameEmail.id] },
    })
    t.match(already.json(), { status: 400, invalidParams: [{ name: 'body.duplicateIds.0' }] })
    const empty = await app.inject({
      method: 'POST',
      url: `/v1/people/${survivor.id}/merge`,
      headers: editor,
      payload: { duplicateIds: [] },
    })
    t.match(empty.json(), { status: 400, invalidParams: [{ name: 'body.duplicateIds' }] })
  })

  t.test('an interaction naming a merged-away person is refused, and nothing of it is stored', async (t) => {
    // The row still exists, so the insert sent together with the reference check succeeds: the check's verdict must
    // undo it.
    const summary = 'Call with a merged record'
    const events = async () =>
      (await app.db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'contacts.interaction.logged'`)).rows[0].n
    const eventsBefore = await events()
    const res = await app.inject({
      method: 'POST',
      url: '/v1/interactions',
      headers: editor,
      payload: { kind: 'call', occurredAt: '2026-03-05T09:00:00Z', summary, people: [survivor.id, sameEmail.id] },
    })
    t.match(res.json(), { status: 400, invalidParams: [{ name: 'body.people.1' }] })
    const stored = await app.db.query(`SELECT id FROM interactions WHERE summary = $1`, [summary])
    t.same(stored.rows, [], 'no interaction')
    t.equal(await events(), eventsBefore, 'no event')
  })

  t.test(
    'an erasure removes personal data, keeps interactions anonymised, scrubs the audit log, and its event is consumed',
    async (t) => {
      const person = await make.person({
        givenName: 'Ingrid',
        familyName: 'Bergström',
        emails: ['ingrid.b@sweden.example'],
        notes: 'Met at MSP',
      })
      await app.inject({
        method: 'PATCH',
        url: `/v1/people/${person.id}`,
        headers: editor,
        payload: { jobTitle: 'Counsellor', version: 1 },
      })
      const meeting = await make.interaction({
        summary: 'Lunch with Ingrid Bergström',
        notes: 'Bergström will write from ingrid.b@sweden.example',
        people: [person.id, bystander.id],
      })
      // Interactions she did not take part in: her full name and address go; a family name alone may be someone else's.
      const mentioned = await make.interaction({
        summary: 'Call with the Swedish mission',
        notes: 'Ingrid Bergström (ingrid.b@sweden.example) to be copied',
        people: [bystander.id],
      })
      const namesake = await make.interaction({ summary: 'Letter to Minister Bergström', people: [bystander.id] })
      await app.db.query(`INSERT INTO people_mirror VALUES ('ingrid', $1)`, [person.id])

      const asEditor = await app.inject({ method: 'POST', url: `/v1/people/${person.id}/erase`, headers: editor })
      t.equal(asEditor.statusCode, 403, 'admins only')
      const res = await app.inject({ method: 'POST', url: `/v1/people/${person.id}/erase`, headers: admin })
      t.equal(res.statusCode, 200, res.body)
      t.match(res.json(), { id: person.id, erasedIds: [person.id] })
      t.ok(res.json().auditRowsScrubbed >= 2)

      const gone = await app.inject({ method: 'GET', url: `/v1/people/${person.id}`, headers: viewer })
      t.equal(gone.statusCode, 410)
      t.match(gone.json(), { code: 'CONTACTS_PERSON_ERASED' })
      const interaction = (
        await app.inject({ method: 'GET', url: `/v1/interactions/${meeting.id}`, headers: admin })
      ).json()
      t.match(interaction, {
        people: [bystander.id],
        erasedParticipants: 1,
        summary: 'Lunch with [erased]',
        notes: '[erased] will write from [erased]',
      })
      const elsewhere = (
        await app.inject({ method: 'GET', url: `/v1/interactions/${mentioned.id}`, headers: admin })
      ).json()
      t.match(elsewhere, {
        erasedParticipants: 0,
        summary: 'Call with the Swedish mission',
        notes: '[erased] ([erased]) to be copied',
      })
      const other = (await app.inject({ method: 'GET', url: `/v1/interactions/${namesake.id}`, headers: admin })).json()
      t.match(other, { erasedParticipants: 0, summary: 'Letter to Minister Bergström' }, 'a namesake is left alone')

      const traces = await app.db.query(
        `SELECT (SELECT count(*)::int FROM person_emails WHERE email = 'ingrid.b@sweden.example') AS emails,
              (SELECT count(*)::int FROM audit_log
                WHERE entity_id <> $1
                  AND (before::text ~ 'Bergstr|Ingrid|ingrid' OR after::text ~ 'Bergstr|Ingrid|ingrid')) AS audit,
              (SELECT count(*)::int FROM outbox WHERE envelope::text ~ 'Bergstr|ingrid') AS events,
              (SELECT count(*)::int FROM interactions
                WHERE id::text <> $1 AND summary || coalesce(notes, '') ~ 'Bergstr|ingrid') AS texts`,
        [namesake.id],
      )
      t.same(traces.rows[0], { emails: 0, audit: 0, events: 0, texts: 0 }, 'no trace of her left anywhere')
      const kept = await app.db.query(
        `SELECT action, changed_fields, after FROM audit_log a JOIN erasures e ON a.entity_id = 'erased:' || e.reference
          WHERE e.person_id = $1 AND action = 'update'`,
        [person.id],
      )
      t.same(
        kept.rows,
        [{ action: 'update', changed_fields: ['jobTitle'], after: { jobTitle: '[erased]' } }],
        'what changed and when stays, not the values, under the erasure reference',
      )
      const byId = await app.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1`, [person.id])
      t.equal(byId.rows[0].n, 0, 'no audit row is filed under her id')
      const search = await app.inject({ method: 'GET', url: '/v1/search?q=bergstrom', headers: viewer })
      t.same(search.json().items, [])

      await waitFor(
        'the erasure to reach the mirror',
        async () => {
          const { rows } = await app.db.query(`SELECT 1 FROM people_mirror WHERE label = 'ingrid'`)
          return rows.length === 0
        },
        20_000,
      )
      const processed = await app.db.query(
        `SELECT count(*)::int AS n FROM processed_events
          WHERE consumer_group = $1 AND event_type = 'contacts.person.erased'`,
        [mirrorGroup],
      )
      t.equal(processed.rows[0].n, 1)
      const twice = await app.inject({ method: 'POST', url: `/v1/people/${person.id}/erase`, headers: admin })
      t.equal(twice.statusCode, 410)
    },
  )

  t.test('erasing a survivor erases the records merged into it too', async (t) => {
    const res = await app.inject({ method: 'POST', url: `/v1/people/${survivor.id}/erase`, headers: admin })
    t.equal(res.statusCode, 200, res.body)
    t.same(res.json().erasedIds.sort(), [survivor.id, sameEmail.id, similarName.id].sort())
    const left = await app.db.query(`SELECT count(*)::int AS n FROM people WHERE id = ANY($1::uuid[])`, [
      [survivor.id, sameEmail.id, similarName.id],
    ])
    t.equal(left.rows[0].n, 0)
    await waitFor(
      'the mirror to forget them',
      async () => (await app.db.query(`SELECT 1 FROM people_mirror WHERE label <> 'ingrid'`)).rows.length === 0,
      20_000,
    )
  })
})
