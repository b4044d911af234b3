import t from 'tap'
import { build } from './helper.ts'

t.test(
  'a request that finds no free database connection in time gets 503 with Retry-After, and writes nothing',
  async (t) => {
    const { app, as } = await build(t, { DATABASE_POOL_MAX: '2', DATABASE_POOL_WAIT_MS: '200' })
    const editor = await as('editor', 'marie.dupont')
    const payload = {
      kind: 'call',
      occurredAt: '2026-11-02T10:30:00+01:00',
      summary: 'Call on the ratification bill',
      states: ['KEN'],
    }

    // Every connection of the pool is busy, as under a burst of writes.
    const held = [await app.db.connect(), await app.db.connect()]
    const refused = await app.inject({ method: 'POST', url: '/v1/interactions', headers: editor, payload })
    t.equal(refused.statusCode, 503, refused.body)
    t.equal(refused.headers['retry-after'], '1')
    t.match(refused.headers['content-type'], /application\/problem\+json/)
    t.match(refused.json(), { status: 503, code: 'SERVICE_UNAVAILABLE', detail: /busy/ })
    for (const client of held) client.release()

    const { rows } = await app.db.query('SELECT count(*)::int AS n FROM interactions')
    t.equal(rows[0].n, 0, 'the refused request left nothing behind')
    const retried = await app.inject({ method: 'POST', url: '/v1/interactions', headers: editor, payload })
    t.equal(retried.statusCode, 201, 'a retry once connections are free succeeds')
  },
)
