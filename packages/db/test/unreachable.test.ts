import t from 'tap'
import pg from 'pg'
import { unreachable } from '@ccm/config'
import { ensureDatabase } from '../src/index.ts'

t.test('a dependency that does not answer is named, with where it was looked for and how to start it', async (t) => {
  const error = await ensureDatabase('postgres://ccm:secret@127.0.0.1:1/ccm_nowhere').then(
    () => null,
    (e: Error) => e,
  )
  t.match(
    error?.message,
    /^PostgreSQL is unreachable at postgres:\/\/127\.0\.0\.1:1\/ccm_nowhere \(.+\)\. Start it with: pg_ctlcluster /,
  )
  t.notMatch(error?.message, /secret/, 'never the credentials')
  t.equal(
    unreachable('Kafka', '127.0.0.1:9092', new Error('Connection timeout')).message,
    'Kafka is unreachable at 127.0.0.1:9092 (Connection timeout). Start it with: npm run infra:up',
  )
})

t.test('ensureDatabase creates a database once, and leaves one that exists alone', async (t) => {
  const server = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'
  const name = `ccm_ensure_${process.pid}`
  const admin = new pg.Client({ connectionString: `${server}/postgres` })
  await admin.connect()
  t.teardown(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`)
    await admin.end()
  })
  await ensureDatabase(`${server}/${name}`)
  await ensureDatabase(`${server}/${name}`)
  t.equal((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount, 1)
  await t.rejects(ensureDatabase(`${server}/Robert'); DROP TABLE x;--`), /unusual name/)
})

t.test('ensureDatabase needs no access to another database when the one named exists', async (t) => {
  const server = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432')
  const name = `ccm_own_${process.pid}`
  const admin = new pg.Client({ connectionString: `${server.href.replace(/\/$/, '')}/postgres` })
  await admin.connect()
  await admin.query(`CREATE ROLE ${name} LOGIN`)
  await admin.query(`CREATE DATABASE ${name} OWNER ${name}`)
  // As a service's user in production: the owner of its database, without the right to connect to `postgres`
  // (superusers, which every other test connects as, keep theirs).
  await admin.query(`REVOKE CONNECT ON DATABASE postgres FROM PUBLIC`)
  t.teardown(async () => {
    await admin.query(`GRANT CONNECT ON DATABASE postgres TO PUBLIC`)
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.query(`DROP ROLE IF EXISTS ${name}`)
    await admin.end()
  })
  const own = new URL(server)
  own.username = name
  own.pathname = `/${name}`
  await ensureDatabase(own.href)
  t.pass('its database is found without connecting to postgres')
  own.pathname = '/ccm_own_missing'
  await t.rejects(ensureDatabase(own.href), /permission denied for database "postgres"/, 'a missing one still needs it')
})
