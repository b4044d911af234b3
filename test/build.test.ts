import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { bearer, createTestDatabase, spawnServer, testEnv, waitFor } from '@ccm/testing'
import { readConfig } from '../services/contacts/src/config.ts'
import { captureOutput, exited, freePort, root, run } from './helper.ts'

t.test('a service built and laid out as its image has it migrates, starts with plain node and answers', async (t) => {
  const started = performance.now()
  await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', 'contacts'])
  t.comment(`build of contacts: ${Math.round(performance.now() - started)} ms`)

  // The image's runtime stage: dist/, the service's data files and its production dependencies, nothing else.
  const deployed = mkdtempSync(join(tmpdir(), 'ccm-contacts-'))
  t.teardown(() => rmSync(deployed, { recursive: true, force: true }))
  await run('bash', [join(root, 'scripts/deploy-service.sh'), 'contacts', deployed])
  t.comment(`runtime files: ${(await run('du', ['-sh', deployed])).split('\t')[0]}`)

  // An empty database: the build's own migrate command creates the tables and seeds the states from data/.
  const database = await createTestDatabase('ccm_contacts', [])
  t.teardown(() => database.drop())
  const port = await freePort()
  const env = testEnv({
    NODE_ENV: 'production',
    NODE_OPTIONS: '', // plain node: the test runner's TypeScript loader must not follow
    JWT_SECRET: 'build-test-secret-of-at-least-32-characters',
    CONTACTS_PORT: String(port),
    CONTACTS_DATABASE_URL: database.url,
  })
  const migrate = spawnServer(deployed, env, ['--enable-source-maps', 'dist/migrate.js'])
  const migrateOutput = captureOutput(migrate)
  await exited(migrate)
  t.equal(migrate.exitCode, 0, `dist/migrate.js succeeds: ${migrateOutput.join('')}`)
  t.match(migrateOutput.join(''), /197 state\(s\) seeded/, 'the seed data is found beside the build')

  const server = spawnServer(deployed, env, ['--enable-source-maps', 'dist/server.js'])
  const output = captureOutput(server)
  t.teardown(async () => {
    server.kill('SIGKILL')
    await exited(server)
  })
  const base = `http://127.0.0.1:${port}`
  await waitFor(
    `the built service to be ready (its output: ${output.join('')})`,
    async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok,
    180_000, // a minute or more when the shared machine is busy
  )
  t.equal((await fetch(`${base}/healthz`)).status, 200, '/healthz answers')
  t.equal((await fetch(`${base}/v1/states/summary`)).status, 401, 'a /v1 route refuses a request without a token')
  const summary = await fetch(`${base}/v1/states/summary`, {
    headers: { authorization: await bearer(readConfig(env), 'viewer') },
  })
  t.equal(summary.status, 200, 'and answers one with a token')
  t.match(await summary.json(), { total: 197 }, 'from the migrated, seeded database')

  server.kill('SIGTERM')
  await exited(server)
  t.equal(server.exitCode, 0, 'SIGTERM stops it cleanly')
})
