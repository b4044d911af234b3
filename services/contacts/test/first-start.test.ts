import t from 'tap'
import { once } from 'node:events'
import { createTestDatabase, spawnServer, testEnv, waitFor } from '@ccm/testing'
import { migrations } from '../src/migrations.ts'

t.test(
  'a first start with new topics logs nothing at error level, and SIGINT stops the service within 5 s',
  async (t) => {
    const database = await createTestDatabase('ccm_contacts', migrations)
    t.teardown(() => database.drop())
    const port = String(3990 + Math.floor(Math.random() * 9))
    const env = testEnv({
      LOG_LEVEL: 'info',
      CONTACTS_PORT: port,
      CONTACTS_DATABASE_URL: database.url,
      JWT_SECRET: 'first-start-test-secret-of-at-least-32-characters',
    })
    const server = spawnServer(new URL('..', import.meta.url).pathname, env)
    let output = ''
    server.stdout!.on('data', (chunk) => {
      output += chunk
    })
    server.stderr!.on('data', (chunk) => {
      output += chunk
    })
    t.teardown(() => {
      server.kill('SIGKILL')
    })
    await waitFor(
      'the service to be ready',
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok,
      30_000,
    )

    const started = Date.now()
    server.kill('SIGINT')
    const [code] = await once(server, 'exit')
    t.ok(Date.now() - started < 5000, `stopped in ${Date.now() - started} ms`)
    t.equal(code, 0, 'cleanly')

    const lines = output
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        try {
          return JSON.parse(line) as { level: number; msg: string; component?: string }
        } catch {
          return { level: 60, msg: line } // a line that is not a log entry: an error printed around the logger
        }
      })
    t.same(
      lines.filter((l) => l.level >= 50).map((l) => l.msg),
      [],
      'no error-level line',
    )
    t.same(
      lines.filter((l) => l.component === 'kafka' && l.level >= 40).map((l) => l.msg),
      [],
      'no warning from the Kafka client',
    )
  },
)
