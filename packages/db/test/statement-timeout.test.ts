import t from 'tap'
import { baseConfigSchema, loadConfig } from '@ccm/config'
import { createHttpApp } from '@ccm/http'
import { dbPlugin, withTransaction } from '../src/index.ts'

// pg_sleep needs no tables: the shared server's own database will do.
const url = `${process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'}/postgres`

t.test(
  'a statement past DATABASE_STATEMENT_TIMEOUT_MS is cancelled and answered 503 with Retry-After, not left hanging',
  async (t) => {
    const config = loadConfig(baseConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_STATEMENT_TIMEOUT_MS: '300',
    })
    const app = await createHttpApp({ name: 'db-test', config })
    await app.register(dbPlugin, { connectionString: url, applicationName: 'db-test', config })
    app.get('/slow', async () => (await app.db.query('SELECT pg_sleep(10)')).rowCount)
    app.get('/slow-in-transaction', async () =>
      withTransaction(app.db, async (client) => (await client.query('SELECT pg_sleep(10)')).rowCount),
    )
    app.get('/quick', async () => (await app.db.query('SELECT pg_sleep(0.05)')).rowCount)
    t.teardown(() => app.close())

    for (const url of ['/slow', '/slow-in-transaction']) {
      const started = Date.now()
      const res = await app.inject({ url })
      t.ok(Date.now() - started < 3000, `${url} answered in ${Date.now() - started} ms`)
      t.equal(res.statusCode, 503, url)
      t.equal(res.headers['retry-after'], '1')
      t.match(res.headers['content-type'], /application\/problem\+json/)
      t.match(res.json(), { status: 503, code: 'SERVICE_UNAVAILABLE', detail: /a database statement took too long/ })
    }
    t.equal((await app.inject({ url: '/quick' })).statusCode, 200, 'a statement within the limit runs')
  },
)

t.test('the timeout is off with 0, and on by default', async (t) => {
  t.equal(loadConfig(baseConfigSchema, { NODE_ENV: 'test' }).DATABASE_STATEMENT_TIMEOUT_MS, 30_000)
  const config = loadConfig(baseConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_STATEMENT_TIMEOUT_MS: '0',
  })
  const app = await createHttpApp({ name: 'db-test', config })
  await app.register(dbPlugin, { connectionString: url, applicationName: 'db-test', config })
  t.teardown(() => app.close())
  const { rows } = await app.db.query('SHOW statement_timeout')
  t.equal(rows[0].statement_timeout, '0', "the server's default")
})
