import t, { type Test } from 'tap'
import { baseConfigSchema, loadConfig } from '@ccm/config'
import type { AddressInfo } from 'node:net'
import { createHttpApp, serveMetrics, signToken } from '../src/index.ts'

const config = loadConfig(baseConfigSchema, { NODE_ENV: 'test', LOG_LEVEL: 'info' })

async function build(t: Test) {
  const lines: string[] = []
  const app = await createHttpApp({
    name: 'test',
    config,
    logStream: {
      write: (line) => {
        lines.push(line)
      },
    },
  })
  app.get('/v1/things', async () => ({ ok: true }))
  app.post('/v1/things', async () => ({ ok: true }))
  app.put('/v1/things', async () => {
    throw Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
      detail: 'Key (email)=(w.odhiambo@mfa.go.ke) already exists.',
    })
  })
  app.readinessChecks.set('postgres', async () => {
    throw new Error('password authentication failed for user "ccm" at db.internal:5432')
  })
  app.readinessChecks.set('redis', async () => 'PONG')
  await app.ready()
  t.teardown(() => app.close())
  return { app, lines }
}

t.test('request logs carry the path, never the query string or the body', async (t) => {
  const { app, lines } = await build(t)
  const headers = { authorization: `Bearer ${await signToken(config, { sub: 'someone', role: 'editor' })}` }
  t.equal((await app.inject({ method: 'GET', url: '/v1/things?q=Wanjiru', headers })).statusCode, 200)
  t.equal(
    (await app.inject({ method: 'POST', url: '/v1/things', headers, payload: { name: 'Odhiambo' } })).statusCode,
    200,
  )
  t.equal((await app.inject({ method: 'PUT', url: '/v1/things', headers, payload: {} })).statusCode, 500)
  t.match(lines.join(''), /"url":"\/v1\/things"/)
  t.match(lines.join(''), /duplicate key value/, 'the failure itself is logged')
  t.notMatch(lines.join(''), /Wanjiru|Odhiambo/i)
})

t.test('/readyz names the dependency that is down, and leaves its error to the log', async (t) => {
  const { app, lines } = await build(t)
  const res = await app.inject('/readyz')
  t.equal(res.statusCode, 503)
  t.same(res.json(), { status: 'not ready', checks: { postgres: 'down', redis: 'ok' } })
  t.notMatch(res.body, /password|db\.internal/)
  t.match(lines.join(''), /password authentication failed/)
})

t.test('metrics are served apart, on 127.0.0.1, and not on the public port', async (t) => {
  const { app } = await build(t)
  await app.inject('/readyz')
  t.equal((await app.inject('/metrics')).statusCode, 404)
  const server = await serveMetrics(app, 0)
  t.teardown(() => server?.close())
  const address = server!.address() as AddressInfo
  t.equal(address.address, '127.0.0.1')
  const res = await fetch(`http://127.0.0.1:${address.port}/metrics`)
  t.equal(res.status, 200)
  t.match(await res.text(), /http_request_duration_seconds_bucket\{.*route="\/readyz"/)
  t.equal((await fetch(`http://127.0.0.1:${address.port}/v1/things`)).status, 404)
})
