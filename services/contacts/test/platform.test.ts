import t from 'tap'
import SwaggerParser from '@apidevtools/swagger-parser'
import { build } from './helper.ts'

t.test('what every service gets from the platform', async (t) => {
  const { app, as } = await build(t, { RATE_LIMIT_PER_MINUTE: '5' })

  t.test('/docs/json is a valid OpenAPI 3.1 document with every route, its schemas and bearer security', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' })
    t.equal(res.statusCode, 200)
    const doc = res.json()
    t.equal(doc.openapi, '3.1.0')
    await t.resolves(SwaggerParser.validate(structuredClone(doc)), 'validates against the OpenAPI 3.1 schema')
    t.same(doc.security, [{ bearerAuth: [] }])
    t.match(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer' })

    const documented = new Set<string>()
    for (const [path, operations] of Object.entries(
      doc.paths as Record<string, Record<string, { security?: unknown; responses: object }>>,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        documented.add(`${method.toUpperCase()} ${path}`)
        if (path.startsWith('/v1')) {
          t.notSame(operation.security, [], `${method} ${path} is not public`)
          t.ok(Object.keys(operation.responses).length > 0, `${method} ${path} documents its responses`)
        }
      }
    }
    const routes = app.printRoutes({ commonPrefix: false })
    for (const path of ['/v1/states', '/v1/states/summary', '/v1/states/{iso3}', '/v1/states/{iso3}/history']) {
      t.ok(documented.has(`GET ${path}`), `GET ${path} documented`)
    }
    t.ok(documented.has('POST /v1/states/{iso3}/treaty-events'))
    t.ok(routes.includes('/v1/states'))
    t.match(doc.paths['/v1/states/{iso3}/treaty-events'].post.requestBody.content['application/json'].schema, {
      $ref: /TreatyStepInput/,
    })
  })

  t.test('health and readiness need no token; metrics are not on the public port', async (t) => {
    t.same((await app.inject('/healthz')).json(), { status: 'ok' })
    const ready = await app.inject('/readyz')
    t.equal(ready.statusCode, 200)
    t.same(ready.json(), { status: 'ready', checks: { redis: 'ok', postgres: 'ok', kafka: 'ok' } })
    t.equal((await app.inject('/metrics')).statusCode, 404)
    t.match(await app.metrics.metrics(), /http_request_duration_seconds_bucket\{.*route="\/readyz"/)
  })

  t.test('request and correlation ids come back on every answer', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-correlation-id': 'abc-123' } })
    t.equal(res.headers['x-correlation-id'], 'abc-123')
    t.ok(res.headers['x-request-id'])
  })

  t.test('an unknown route is a problem+json 404', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/nowhere', headers: await as('viewer') })
    t.equal(res.statusCode, 404)
    t.match(res.json(), { status: 404, title: 'Not Found' })
  })

  t.test('a client over its rate limit gets 429 problem+json, others do not', async (t) => {
    const greedy = await as('viewer', 'greedy')
    const codes = []
    for (let i = 0; i < 7; i++)
      codes.push((await app.inject({ method: 'GET', url: '/v1/states/KEN', headers: greedy })).statusCode)
    t.same(codes.slice(0, 5), [200, 200, 200, 200, 200])
    const limited = await app.inject({ method: 'GET', url: '/v1/states/KEN', headers: greedy })
    t.equal(limited.statusCode, 429)
    t.match(limited.json(), { status: 429, title: 'Too Many Requests', detail: /at most 5 a minute/ })
    t.ok(limited.headers['retry-after'])
    const other = await app.inject({ method: 'GET', url: '/v1/states/KEN', headers: await as('viewer', 'patient') })
    t.equal(other.statusCode, 200)
  })

  t.test('an unexpected failure is a 500 without internals', async (t) => {
    const broken = app.contacts.states.get
    app.contacts.states.get = async () => {
      throw new Error('relation "secret_table" does not exist')
    }
    t.teardown(() => {
      app.contacts.states.get = broken
    })
    const res = await app.inject({ method: 'GET', url: '/v1/states/KEN', headers: await as('viewer', 'unlucky') })
    t.equal(res.statusCode, 500)
    t.notMatch(res.body, /secret_table/)
    t.match(res.json(), { status: 500, detail: /unexpected error/ })
  })
})
