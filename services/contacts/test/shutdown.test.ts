import t from 'tap'
import { once } from 'node:events'
import { createPool } from '@ccm/db'
import { collectEvents } from '@ccm/events'
import { bearer, createTestDatabase, spawnServer, testEnv, waitFor } from '@ccm/testing'
import { readConfig } from '../src/config.ts'
import { migrations } from '../src/migrations.ts'
import { seedStates } from '../src/services/seed.ts'

t.test('SIGTERM drains requests in flight and publishes their events before the process exits', async (t) => {
  const database = await createTestDatabase('ccm_contacts', migrations)
  const db = createPool(database.url, { max: 2 })
  t.teardown(async () => {
    await db.end()
    await database.drop()
  })
  await seedStates(db)
  const port = String(3900 + Math.floor(Math.random() * 90))
  const env = testEnv({
    LOG_LEVEL: 'info',
    CONTACTS_PORT: port,
    CONTACTS_DATABASE_URL: database.url,
    RATE_LIMIT_PER_MINUTE: '0',
  })
  const config = readConfig(env)

  const server = spawnServer(new URL('..', import.meta.url).pathname, env)
  server.stderr!.pipe(process.stderr)
  let output = ''
  server.stdout!.on('data', (chunk) => {
    output += chunk
  })
  t.teardown(() => {
    server.kill('SIGKILL')
  })
  const base = `http://127.0.0.1:${port}`
  await waitFor('the service to be ready', async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok, 30_000)
  // The service creates its topics at start-up; listen once they exist.
  const collector = await collectEvents(config.KAFKA_BROKERS, [`${config.KAFKA_TOPIC_PREFIX}contacts.events`])
  t.teardown(() => collector.close())

  const headers = {
    authorization: await bearer(config, 'editor', 'shutdown-tester'),
    'content-type': 'application/json',
  }
  // Hold the state's row so the request is provably in flight (inside its transaction) at SIGTERM.
  const locker = await db.connect()
  await locker.query('BEGIN')
  await locker.query(`SELECT 1 FROM states WHERE iso3 = 'FIN' FOR UPDATE`)
  const write = fetch(`${base}/v1/states/FIN/treaty-events`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ kind: 'accession', date: '2024-05-02' }),
  })
  await waitFor(
    'the request to wait on the row',
    async () =>
      (await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))
        .rowCount,
  )

  server.kill('SIGTERM')
  await waitFor(
    'the listener to close',
    async () => (await fetch(`${base}/healthz`).catch((error) => error)) instanceof Error,
  )
  await locker.query('COMMIT')
  locker.release()

  t.equal((await write).status, 201, 'the request in flight was answered')
  const [code] = await once(server, 'exit')
  t.equal(code, 0, 'the process exits cleanly')
  t.match(output, /shutting down/)

  const { rows } = await db.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')
  t.equal(rows[0].n, 0, 'the outbox was flushed')
  await collector.waitFor((e) => e.type === 'contacts.treaty_status.changed' && e.subject === 'FIN')
})
