import t from 'tap'
import { createPool, DatabaseBusyError } from '../src/index.ts'

const url = `${process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'}/postgres`

t.test(
  'a wait past its limit for a free connection is refused as busy, and the freed connection serves the next caller',
  async (t) => {
    const db = createPool(url, { max: 1, connectionTimeoutMillis: 200 })
    t.teardown(() => db.end())
    const held = await db.connect()
    const started = Date.now()
    const refused = await db.connect().catch((error: unknown) => error)
    t.ok(refused instanceof DatabaseBusyError, 'connect refused as busy')
    t.match(refused, { code: 'DATABASE_BUSY', retryAfter: 1, message: /no database connection became free in time/ })
    t.ok(Date.now() - started < 1000, `refused after ${Date.now() - started} ms`)
    await t.rejects(db.query('SELECT 1'), DatabaseBusyError, 'pool.query waits the same way')
    held.release()
    const { rows } = await db.query('SELECT 2 AS n')
    t.equal(rows[0].n, 2, 'the connection given back after the callers gave up serves the next one')
    t.equal(db.totalCount, 1)
  },
)

t.test('a caller that gave up is forgotten: no connection freed for long after does no harm', async (t) => {
  const db = createPool(url, { max: 1, connectionTimeoutMillis: 100 })
  t.teardown(() => db.end())
  const held = await db.connect()
  await t.rejects(db.connect(), DatabaseBusyError)
  // Past pg-pool's own backstop (the wait plus 1 s), which drops the waiter from its queue.
  await new Promise((resolve) => setTimeout(resolve, 1_300))
  held.release()
  t.equal((await db.query('SELECT 3 AS n')).rows[0].n, 3)
})
