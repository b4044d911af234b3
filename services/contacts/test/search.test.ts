import t from 'tap'
import { build } from './helper.ts'
import { factories } from './factories.ts'

t.test('search across people, organisations and states', async (t) => {
  const built = await build(t)
  const { app, as } = built
  const viewer = await as('viewer')
  const editor = await as('editor')
  const make = factories(t, built, editor)
  const mission = await make.organization({
    type: 'permanent_mission',
    name: 'Permanent Mission of Kenya to the UN Office at Geneva',
    shortName: 'PM Kenya',
    country: 'KEN',
    tags: ['africa'],
  })
  const swissNgo = await make.organization({
    type: 'ngo',
    name: 'Handicap International Schweiz',
    country: 'CHE',
    tags: ['civil-society'],
  })
  const archived = await make.organization({ type: 'ngo', name: 'Kenya Old Coalition' })
  await app.inject({ method: 'POST', url: `/v1/organizations/${archived.id}/archive`, headers: editor })
  const muller = await make.person({
    givenName: 'Hans',
    familyName: 'Müller',
    tags: ['msp-14'],
    affiliations: [{ organizationId: swissNgo.id, primary: true }],
  })
  await make.person({ givenName: 'Anna', familyName: 'Mueller' })
  await make.person({ givenName: 'Paul', familyName: 'Mullins' })
  await make.person({
    givenName: 'Grace',
    familyName: 'Wambui',
    affiliations: [{ organizationId: mission.id, role: 'Counsellor' }],
  })

  const search = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/v1/search?${query}`, headers: viewer })
    t.equal(res.statusCode, 200, res.body)
    return res.json() as {
      items: { type: string; id: string; title: string; subtitle: string | null; score: number }[]
      nextCursor: string | null
    }
  }

  t.test('"cote d ivoire" finds Côte d\'Ivoire', async (t) => {
    const { items } = await search('q=cote%20d%20ivoire')
    t.match(items[0], { type: 'state', id: 'CIV', title: "Côte d'Ivoire" })
  })

  t.test('"muller" finds Müller first, then the near miss', async (t) => {
    const { items } = await search('q=muller')
    t.match(items[0], {
      type: 'person',
      id: muller.id,
      title: 'Hans Müller',
      subtitle: 'Handicap International Schweiz',
    })
    t.equal(items[1]?.title, 'Anna Mueller', 'a spelling one letter off still shows, ranked lower')
    t.notOk(
      items.some((i) => i.title === 'Paul Mullins'),
      'a different name does not',
    )
    const upper = await search('q=M%C3%9CLLER')
    t.equal(upper.items[0]!.id, muller.id, 'case does not matter')
  })

  t.test('"Kenia" (a typo) finds Kenya and its mission, not archived organisations', async (t) => {
    const { items } = await search('q=Kenia')
    t.match(items[0], { type: 'state', id: 'KEN', title: 'Kenya' })
    t.ok(
      items.some((i) => i.id === mission.id),
      'the mission too',
    )
    t.notOk(
      items.some((i) => i.id === archived.id),
      'archived organisations are left out',
    )
    const nothing = await search('q=zzzqqq')
    t.same(nothing.items, [])
  })

  t.test('an unfinished word matches as someone types', async (t) => {
    const { items } = await search('q=m%C3%BCl&type=person')
    t.same(
      items.map((i) => i.title),
      ['Hans Müller', 'Paul Mullins'],
      'both start with "mul"; the closer length first',
    )
    const states = await search('q=switz&type=state')
    t.match(states.items[0], { id: 'CHE' })
  })

  t.test('filters narrow by type, tag, treaty status and region', async (t) => {
    const people = await search('q=kenya&type=organization')
    t.same(
      people.items.map((i) => i.id),
      [mission.id],
    )
    const tagged = await search('q=hans&tag=msp-14')
    t.same(
      tagged.items.map((i) => i.id),
      [muller.id],
    )
    const untagged = await search('q=hans&tag=other')
    t.same(untagged.items, [])
    const parties = await search('q=ken&status=state_party')
    t.notOk(
      parties.items.some((i) => i.id === 'KEN' || i.id === mission.id),
      'Kenya is a signatory, so neither it nor its mission',
    )
    const signatories = await search('q=kenya&status=signatory')
    t.ok(signatories.items.some((i) => i.id === mission.id))
    const african = await search('q=grace&region=African')
    t.equal(african.items[0]?.title, 'Grace Wambui', 'people through the state of their organisation')
    const weog = await search('q=grace&region=WEOG')
    t.same(weog.items, [])
  })

  t.test('cursor pagination walks every result once, in rank order', async (t) => {
    for (const [given, family] of [
      ['Marie', 'Martin'],
      ['Mark', 'Marlow'],
      ['Maria', 'Lopez'],
      ['Omar', 'Martinez'],
    ])
      await make.person({ givenName: given, familyName: family })
    // One query word, several (a name with two words matching it counted once), and filtered.
    for (const q of ['republic', 'mar', 'republic of', 'mar&type=person']) {
      const all = await search(`q=${q}&limit=50`)
      t.ok(all.items.length >= 3, `${q}: more than a page of results`)
      t.equal(new Set(all.items.map((i) => i.id)).size, all.items.length, `${q}: each result once`)
      const seen: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page = await search(`q=${q}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        seen.push(...page.items.map((i) => i.id))
        cursor = page.nextCursor
        pages++
      } while (cursor && pages < 30)
      t.same(
        seen,
        all.items.map((i) => i.id),
        `${q}: the pages hold the whole list, in order`,
      )
      const scores = all.items.map((i) => i.score)
      t.same(
        scores,
        [...scores].sort((a, b) => b - a),
        `${q}: best first`,
      )
    }
  })

  t.test('bad input gets 400 naming the field', async (t) => {
    for (const [query, field] of [
      ['', 'query.q'],
      ['q=a&type=planet', 'query.type'],
      ['q=a&status=friendly', 'query.status'],
      ['q=a&limit=500', 'query.limit'],
      ['q=a&cursor=bogus', 'query.cursor'],
    ]) {
      const res = await app.inject({ method: 'GET', url: `/v1/search?${query}`, headers: viewer })
      t.equal(res.statusCode, 400, res.body)
      t.match(res.json(), { invalidParams: [{ name: field }] })
    }
    const anonymous = await app.inject({ method: 'GET', url: '/v1/search?q=kenya' })
    t.equal(anonymous.statusCode, 401)
  })
})
