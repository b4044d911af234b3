import { Readable } from 'node:stream'
import t from 'tap'
import { waitFor } from '@ccm/testing'
import { build } from './helper.ts'

const header = 'given_name,family_name,email,organization,role,phone,preferred_language,tags'
const rows = (prefix: string, from: number, count: number, padding = '') =>
  Array.from(
    { length: count },
    (_, i) => `Given${from + i},Family${padding},${prefix}${from + i}@limits.example,,,,,`,
  ).join('\n')

/** A file of `total` rows made as it is read, 100 at a time, counting how many pieces were read. */
function endlessFile(total: number) {
  const read = { pieces: 0 }
  const stream = Readable.from(
    (function* () {
      yield `${header}\n`
      for (let from = 0; from < total; from += 100) {
        read.pieces++
        yield `${rows('stream', from, 100)}\n`
      }
    })(),
  )
  return { stream, read }
}

t.test('CSV import limits', async (t) => {
  const { app, as } = await build(t, { CONTACTS_IMPORT_MAX_ROWS: '2000', CONTACTS_IMPORT_MAX_BYTES: '200000' })
  const editor = await as('editor', 'marie.dupont')
  const viewer = await as('viewer')
  const post = (payload: string | Readable, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/v1/imports/people',
      headers: { ...editor, 'content-type': 'text/csv', ...headers },
      payload,
    })
  const written = async () =>
    (await app.db.query(`SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM imports) AS n`)).rows[0].n

  t.test('a file over the row cap is refused as soon as it is read that far, and nothing is written', async (t) => {
    const file = endlessFile(100_000)
    const res = await post(file.stream)
    t.equal(res.statusCode, 413, res.body.slice(0, 300))
    t.match(res.headers['content-type'], /application\/problem\+json/)
    t.match(res.json(), {
      code: 'CONTACTS_IMPORT_TOO_LARGE',
      invalidParams: [{ name: 'body', reason: /more than 2000 rows/ }],
    })
    t.ok(file.read.pieces < 100, `stopped reading after ${file.read.pieces} of 1,000 pieces`)
    t.equal(Number(await written()), 0)
  })

  t.test('a file over the route’s byte limit is refused, declared or not', async (t) => {
    const large = `${header}\n${rows('large', 0, 1500, 'x'.repeat(150))}`
    const declared = await post(large)
    t.equal(declared.statusCode, 413, declared.body.slice(0, 300))
    t.match(declared.json(), {
      code: 'CONTACTS_IMPORT_TOO_LARGE',
      invalidParams: [{ name: 'body', reason: /larger than 200000 bytes/ }],
    })
    const streamed = await post(Readable.from([large.slice(0, 100_000), large.slice(100_000)]))
    t.equal(streamed.statusCode, 413, streamed.body.slice(0, 300))
    t.equal(Number(await written()), 0)
  })

  t.test('at most two imports run at once; a third is queued, says so with its place, and runs next', async (t) => {
    const files = ['a', 'b', 'c'].map((prefix) => `${header}\n${rows(prefix, 0, 1500)}`)
    const answers = await Promise.all(files.map((file) => post(file, { prefer: 'respond-async' })))
    t.same(
      answers.map((a) => a.statusCode),
      [202, 202, 202],
    )
    const jobs = answers.map((a) => a.json())
    t.same(jobs.map((j) => j.status).sort(), ['queued', 'running', 'running'])
    const queued = jobs.find((j) => j.status === 'queued')
    t.equal(queued.queuePosition, 1)
    t.ok(jobs.filter((j) => j.status === 'running').every((j) => j.queuePosition === null))
    const polled = (await app.inject({ method: 'GET', url: `/v1/imports/${queued.id}`, headers: viewer })).json()
    t.match(polled, { status: 'queued', queuePosition: 1 }, 'the status says it waits, and where')

    let mostRunning = 0
    await waitFor(
      'the three imports to finish',
      async () => {
        const { rows: states } = await app.db.query(`SELECT status FROM imports`)
        mostRunning = Math.max(mostRunning, states.filter((s) => s.status === 'running').length)
        return states.every((s) => s.status === 'succeeded')
      },
      60_000,
    )
    t.ok(mostRunning <= 2, `never more than two running (saw ${mostRunning})`)
    t.equal((await app.db.query(`SELECT count(*)::int AS n FROM people`)).rows[0].n, 4500)
  })
})
