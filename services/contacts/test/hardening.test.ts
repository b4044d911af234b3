import t from 'tap'
import { once } from 'node:events'
import { bearer, createTestDatabase, spawnServer, testEnv, waitFor } from '@ccm/testing'
import { readConfig } from '../src/config.ts'
import { migrations } from '../src/migrations.ts'
import { build } from './helper.ts'

t.test('text Postgres cannot store is a 400 naming the field, not a 500', async (t) => {
  const { app, as } = await build(t)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: await as('editor'),
    payload: { type: 'ngo', name: 'Mines\u0000Action' },
  })
  t.equal(res.statusCode, 400)
  t.match(res.headers['content-type'], /application\/problem\+json/)
  t.match(res.json(), { invalidParams: [{ name: 'body.name' }] })
})

t.test('a timeline cannot be paged deeper than 10000', async (t) => {
  const { app, as } = await build(t)
  const res = await app.inject({
    method: 'GET',
    url: '/v1/states/KEN/timeline?offset=10001',
    headers: await as('viewer'),
  })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { invalidParams: [{ name: 'query.offset' }] })
})

t.test('a session of typical calls leaves no name, email or note in the logs', async (t) => {
  const database = await createTestDatabase('ccm_contacts', migrations)
  t.teardown(() => database.drop())
  const port = String(3800 + Math.floor(Math.random() * 90))
  const env = testEnv({ LOG_LEVEL: 'info', CONTACTS_PORT: port, CONTACTS_DATABASE_URL: database.url })
  const server = spawnServer(new URL('..', import.meta.url).pathname, env)
  server.stderr!.pipe(process.stderr)
  let logs = ''
  server.stdout!.on('data', (chunk) => {
    logs += chunk
  })
  t.teardown(() => {
    server.kill('SIGKILL')
  })
  const base = `http://127.0.0.1:${port}`
  await waitFor('the service to be ready', async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok, 30_000)

  const headers = {
    authorization: await bearer(readConfig(env), 'editor', 'marie.dupont'),
    'content-type': 'application/json',
  }
  const secrets = ['Quillonette', 'Vantresca-Oyelaran', 'q.vantresca@example.org', 'Zephyrine', 'marigold-clause']
  const created = await fetch(`${base}/v1/people`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      givenName: 'Quillonette',
      familyName: 'Vantresca-Oyelaran',
      emails: ['q.vantresca@example.org'],
    }),
  })
  t.equal(created.status, 201)
  const person = (await created.json()) as { id: string }
  t.equal((await fetch(`${base}/v1/search?q=Vantresca`, { headers })).status, 200)
  t.equal((await fetch(`${base}/v1/people?q=Quillonette`, { headers })).status, 200)
  const logged = await fetch(`${base}/v1/interactions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      kind: 'meeting',
      occurredAt: '2026-03-02T10:30:00+01:00',
      summary: 'Zephyrine accession',
      notes: 'On the marigold-clause',
      people: [person.id],
    }),
  })
  t.equal(logged.status, 201)
  const refused = await fetch(`${base}/v1/people`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ givenName: 'Quillonette', emails: 'q.vantresca@example.org' }),
  })
  t.equal(refused.status, 400)

  server.kill('SIGTERM')
  await once(server, 'exit')
  t.match(logs, /request completed/, 'the requests were logged')
  for (const secret of secrets) t.notOk(logs.includes(secret), `no log line holds ${secret}`)
})
