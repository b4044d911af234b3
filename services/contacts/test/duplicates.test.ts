import t from 'tap'
import { phoneKey } from '../src/repositories/phone-keys.ts'
import { waitFor } from '@ccm/testing'
import { build } from './helper.ts'
import { factories } from './factories.ts'

interface Group {
  reason: string
  detail: string
  people: { id: string }[]
}

t.test('phone numbers are compared in E.164, or by their digits when written without a country code', async (t) => {
  t.equal(phoneKey('+41 22 917 12 34'), '+41229171234')
  t.equal(phoneKey('+41 (0)22 917 12 34'), '+41229171234', 'the national trunk prefix goes')
  t.equal(phoneKey('0041 22 917 12 34'), '+41229171234', 'the international prefix 00 is a +')
  t.equal(phoneKey('022 917 12 34'), '0229171234', 'no region is guessed')
  t.equal(phoneKey('+999 1'), '+9991', 'what cannot be parsed keeps its digits')
})

t.test('duplicate detection', async (t) => {
  const built = await build(t)
  const { app, as } = built
  const viewer = await as('viewer')
  const editor = await as('editor', 'marie.dupont')
  const make = factories(t, built, editor)
  const ids = (...people: { id: string }[]) =>
    people
      .map((p) => p.id)
      .sort()
      .join(',')
  const groups = async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/people/duplicates?limit=100', headers: viewer })
    t.equal(res.statusCode, 200, res.body)
    return (res.json().items as Group[]).map((g) => `${g.reason}:${g.detail}:${ids(...g.people)}`)
  }

  const kenya = await make.organization({
    type: 'permanent_mission',
    name: 'Permanent Mission of Kenya',
    country: 'KEN',
  })
  const nairobi = await make.organization({
    type: 'ministry',
    name: 'Ministry of Foreign Affairs of Kenya',
    country: 'KEN',
  })
  const paris = await make.organization({ type: 'ministry', name: 'Ministère des Affaires étrangères', country: 'FRA' })
  const coalition = await make.organization({ type: 'ngo', name: 'Cluster Munition Coalition' })

  const jurgen = await make.person({ givenName: 'Jürgen', familyName: 'Müller', emails: ['jm@bund.example'] })
  const jurgenAgain = await make.person({ givenName: 'Jurgen', familyName: 'Muller', emails: ['jurgen@home.example'] })
  const caller = await make.person({ givenName: 'Wanjiru', familyName: 'Odhiambo', phones: ['+41 22 917 12 34'] })
  const sameLine = await make.person({
    givenName: 'W.',
    familyName: 'Odhiambo-Kamau',
    phones: ['0041 (0)22 917-12-34', '022 917 00 00'],
  })
  const atMission = await make.person({
    givenName: 'Jonathan',
    familyName: 'Kamau',
    affiliations: [{ organizationId: kenya.id, primary: true }],
  })
  const inCapital = await make.person({
    givenName: 'Jonathon',
    familyName: 'Kamau',
    affiliations: [{ organizationId: nairobi.id, primary: true }],
  })
  const inParis = await make.person({
    givenName: 'Pierre',
    familyName: 'Lefevre',
    affiliations: [{ organizationId: paris.id, primary: true }],
  })
  const inNairobi = await make.person({
    givenName: 'Pierre',
    familyName: 'Lefèvres',
    affiliations: [{ organizationId: nairobi.id, primary: true }],
  })
  await make.person({
    givenName: 'Jonas',
    familyName: 'Kamau',
    affiliations: [{ organizationId: kenya.id, primary: true }],
  })
  const campaigner = await make.person({
    givenName: 'Anke',
    familyName: 'Müller',
    affiliations: [{ organizationId: coalition.id, primary: true }],
  })
  const sameCampaigner = await make.person({
    givenName: 'Anke',
    familyName: 'Mueller',
    affiliations: [{ organizationId: coalition.id, primary: true }],
  })

  t.test(
    'flags a shared folded name or E.164 number, and names alike in one state (or stateless organisation), saying why',
    async (t) => {
      t.same(
        (await groups()).sort(),
        [
          `same_name:jurgen muller:${ids(jurgen, jurgenAgain)}`,
          `same_phone:+41229171234:${ids(caller, sameLine)}`,
          `similar_name_same_state:KEN:${ids(atMission, inCapital)}`,
          `similar_name_same_organization:Cluster Munition Coalition:${ids(campaigner, sameCampaigner)}`,
        ].sort(),
        'a name alike in another state, or only sounding alike ("Jonas Kamau"), is not flagged',
      )
    },
  )

  t.test('flags names alike sharing an interaction', async (t) => {
    const meeting = await make.interaction({
      summary: 'Bilateral on stockpile destruction',
      people: [inParis.id, inNairobi.id],
    })
    t.ok((await groups()).includes(`similar_name_same_interaction:${meeting.id}:${ids(inParis, inNairobi)}`))
  })

  t.test('a name or number changed is flagged by what it is now', async (t) => {
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/v1/people/${jurgenAgain.id}`,
      headers: editor,
      payload: { givenName: 'Jorg', phones: ['+41 22 917 12 34'], version: 1 },
    })
    t.equal(renamed.statusCode, 200, renamed.body)
    const now = await groups()
    t.notOk(
      now.some((g) => g.startsWith('same_name:')),
      'no longer the same name',
    )
    t.ok(
      now.includes(`same_phone:+41229171234:${ids(caller, sameLine, jurgenAgain)}`),
      'one group for everyone with the number',
    )
  })

  t.test('a pair judged not a duplicate is not flagged again, until the judgement is undone', async (t) => {
    const mark = (id: string, personId: string, headers = editor) =>
      app.inject({ method: 'POST', url: `/v1/people/${id}/not-duplicates`, headers, payload: { personId } })
    const res = await mark(inCapital.id, atMission.id)
    t.equal(res.statusCode, 201, res.body)
    t.same(res.json().personIds, [atMission.id, inCapital.id].sort(), 'stored smaller id first')
    t.equal(res.json().judgedBy, 'marie.dupont')
    t.equal((await mark(atMission.id, inCapital.id)).statusCode, 200, 'judging it again changes nothing')
    t.notOk((await groups()).some((g) => g.startsWith('similar_name_same_state:')))
    const audit = await app.db.query(
      `SELECT entity_id, actor FROM audit_log WHERE action = 'distinct.mark' ORDER BY entity_id`,
    )
    t.same(
      audit.rows,
      [atMission.id, inCapital.id].sort().map((id) => ({ entity_id: id, actor: 'marie.dupont' })),
      'in the history of both',
    )

    // In a group of three, the pair judged distinct stays listed with the third, whom neither has been compared with.
    t.equal((await mark(caller.id, sameLine.id)).statusCode, 201)
    t.ok((await groups()).includes(`same_phone:+41229171234:${ids(caller, sameLine, jurgenAgain)}`))
    t.equal((await mark(caller.id, jurgenAgain.id)).statusCode, 201)
    t.ok(
      (await groups()).includes(`same_phone:+41229171234:${ids(sameLine, jurgenAgain)}`),
      'only the pair left to look at',
    )

    const undo = await app.inject({
      method: 'DELETE',
      url: `/v1/people/${atMission.id}/not-duplicates/${inCapital.id}`,
      headers: editor,
    })
    t.equal(undo.statusCode, 204, undo.body)
    t.ok((await groups()).includes(`similar_name_same_state:KEN:${ids(atMission, inCapital)}`), 'flagged again')
    const again = await app.inject({
      method: 'DELETE',
      url: `/v1/people/${atMission.id}/not-duplicates/${inCapital.id}`,
      headers: editor,
    })
    t.match(again.json(), { status: 404, code: 'CONTACTS_DISTINCT_PAIR_NOT_FOUND' })
  })

  t.test('a judgement refuses what does not fit, naming the field', async (t) => {
    const post = (id: string, payload: object, headers = editor) =>
      app.inject({ method: 'POST', url: `/v1/people/${id}/not-duplicates`, headers, payload })
    t.match((await post(jurgen.id, { personId: jurgen.id })).json(), {
      status: 400,
      invalidParams: [{ name: 'body.personId' }],
    })
    t.match((await post(jurgen.id, { personId: 'nobody' })).json(), {
      status: 400,
      invalidParams: [{ name: 'body.personId' }],
    })
    t.match((await post(jurgen.id, { personId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' })).json(), {
      status: 400,
      invalidParams: [{ name: 'body.personId' }],
    })
    t.equal((await post('9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', { personId: jurgen.id })).statusCode, 404)
    t.equal((await post(jurgen.id, { personId: jurgenAgain.id }, viewer)).statusCode, 403, 'viewers only read')
    const undoItself = await app.inject({
      method: 'DELETE',
      url: `/v1/people/${jurgen.id}/not-duplicates/${jurgen.id}`,
      headers: editor,
    })
    t.match(undoItself.json(), { status: 400, invalidParams: [{ name: 'params.otherId' }] })
    const tooMany = await app.inject({ method: 'GET', url: '/v1/people/duplicates?limit=1000', headers: viewer })
    t.match(tooMany.json(), { status: 400, invalidParams: [{ name: 'query.limit' }] }, 'a page is at most 100 groups')
  })

  t.test("a person's own groups, for their page", async (t) => {
    const res = await app.inject({
      method: 'GET',
      url: `/v1/people/duplicates?personId=${atMission.id}`,
      headers: viewer,
    })
    t.equal(res.statusCode, 200, res.body)
    t.match(res.json(), { total: 1, items: [{ reason: 'similar_name_same_state', detail: 'KEN' }] })
    t.equal(ids(...res.json().items[0].people), ids(atMission, inCapital))
    const bad = await app.inject({ method: 'GET', url: '/v1/people/duplicates?personId=nobody', headers: viewer })
    t.match(bad.json(), { status: 400, invalidParams: [{ name: 'query.personId' }] })
  })

  t.test('pages are stable and counted', async (t) => {
    const all = (await app.inject({ method: 'GET', url: '/v1/people/duplicates?limit=100', headers: viewer })).json()
    const second = (
      await app.inject({ method: 'GET', url: '/v1/people/duplicates?limit=1&offset=1', headers: viewer })
    ).json()
    t.equal(second.total, all.total)
    t.same(second.items, [all.items[1]])
  })

  t.test('merging or erasing people takes them and their judgements out of detection', async (t) => {
    const admin = await as('admin', 'head.isu')
    const merged = await app.inject({
      method: 'POST',
      url: `/v1/people/${atMission.id}/merge`,
      headers: editor,
      payload: { duplicateIds: [inCapital.id] },
    })
    t.equal(merged.statusCode, 200, merged.body)
    const erased = await app.inject({ method: 'POST', url: `/v1/people/${caller.id}/erase`, headers: admin })
    t.equal(erased.statusCode, 200, erased.body)
    const left = await app.db.query(
      `SELECT (SELECT count(*)::int FROM match_keys WHERE person_id = ANY($1::uuid[])) AS keys,
              (SELECT count(*)::int FROM distinct_people WHERE $2 IN (person_a, person_b)) AS judgements`,
      [[inCapital.id, caller.id], caller.id],
    )
    t.same(left.rows[0], { keys: 0, judgements: 0 })
    t.same(
      (await groups()).filter((g) => g.includes(caller.id) || g.includes(inCapital.id)),
      [],
    )
  })
})

t.test('keys are settled after the commit, by one settler at a time', async (t) => {
  const built = await build(t, { CONTACTS_MATCH_KEYS_SWEEP_MS: '100' })
  const { app, as } = built
  const viewer = await as('viewer')
  const make = factories(t, built, await as('editor', 'marie.dupont'))
  const flaggedNames = async () =>
    (await app.db.query(`SELECT key FROM match_key_counts WHERE kind = 'same_name' AND flagged ORDER BY key`)).rows.map(
      (r) => r.key,
    )

  t.test('the sweep settles what writes queued, with nobody reading the listing', async (t) => {
    await make.person({ givenName: 'Ana', familyName: 'Sousa' })
    await make.person({ givenName: 'Ana', familyName: 'Sousa' })
    const queued = async () => (await app.db.query(`SELECT count(*)::int AS n FROM match_keys_pending`)).rows[0].n
    await waitFor('the queue to be settled', async () => (await queued()) === 0, 5000)
    t.ok((await flaggedNames()).includes('ana sousa'), 'the two are flagged')
  })

  t.test('two people written by transactions open at the same time are compared once both commit', async (t) => {
    // Two requests' transactions: each writes its person while the other's is not yet committed, so neither
    // could see the other when it wrote. (Their words are known already: a new word's entry in the search
    // vocabulary would make the second wait for the first to commit.)
    await make.person({ givenName: 'Kofi', familyName: 'Annan' })
    await make.person({ givenName: 'Ama', familyName: 'Mensah' })
    const first = await app.db.connect()
    const second = await app.db.connect()
    try {
      for (const client of [first, second]) {
        await client.query('BEGIN')
        await client.query(
          `INSERT INTO people (given_name, family_name, created_by, updated_by) VALUES ('Kofi', 'Mensah', 'a', 'a')`,
        )
      }
      await first.query('COMMIT')
      await second.query('COMMIT')
    } finally {
      first.release()
      second.release()
    }
    const res = await app.inject({ method: 'GET', url: '/v1/people/duplicates?limit=100', headers: viewer })
    t.equal(res.statusCode, 200, res.body)
    t.equal(res.json().unsettled, 0, 'the listing settled what was queued before reading')
    t.ok(
      res
        .json()
        .items.some((g: Group) => g.reason === 'same_name' && g.detail === 'kofi mensah' && g.people.length === 2),
      'the two are flagged together',
    )
  })

  t.test('a reader of the listing waits a second at most for another settler, then reads', async (t) => {
    // Another settler's turn that lasts: the advisory lock settle_match_keys takes, held here.
    const settler = await app.db.connect()
    try {
      await settler.query(`BEGIN`)
      await settler.query(`SELECT pg_advisory_xact_lock(x'6d6b6579'::int)`)
      await make.person({ givenName: 'Esi', familyName: 'Boateng' })
      const res = await Promise.race([
        app.inject({ method: 'GET', url: '/v1/people/duplicates', headers: viewer }),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the listing waited for the lock')), 10_000),
        ),
      ])
      t.equal(res.statusCode, 200, res.body)
      t.ok(res.json().unsettled >= 1, 'the person still queued is counted')
    } finally {
      await settler.query(`ROLLBACK`)
      settler.release()
    }
  })
})
