import t, { type Test } from 'tap'
import { z } from 'zod'
import { baseConfigSchema, loadConfig } from '@ccm/config'
import { createHttpApp, paginationQuery, signToken } from '../src/index.ts'
// By path: @ccm/testing depends on this package, so this package cannot depend on it.
import { rawRequest } from '../../testing/src/routes.ts'

const config = loadConfig(baseConfigSchema, { NODE_ENV: 'test', LOG_LEVEL: 'silent' })

async function build(t: Test) {
  const app = await createHttpApp({ name: 'test', config })
  app.get(
    '/v1/things',
    { schema: { querystring: paginationQuery.extend({ q: z.string().optional() }) } },
    async (request) => request.query,
  )
  app.post('/v1/things', async () => ({ created: true }))
  app.get('/v1/things/:id', async () => ({ ok: true }))
  await app.ready()
  t.teardown(() => app.close())
  return app
}

const as = async (role: 'editor' | 'viewer') => ({
  authorization: `Bearer ${await signToken(config, { sub: `${role}-person`, role })}`,
})

t.test('a body over 1 MB is refused with 413; a viewer is refused before any of it is read', async (t) => {
  const app = await build(t)
  const payload = (bytes: number) => JSON.stringify({ text: 'x'.repeat(bytes) })
  const json = { 'content-type': 'application/json' }
  const small = await app.inject({
    method: 'POST',
    url: '/v1/things',
    headers: { ...(await as('editor')), ...json },
    payload: payload(900_000),
  })
  t.equal(small.statusCode, 200)
  const large = await app.inject({
    method: 'POST',
    url: '/v1/things',
    headers: { ...(await as('editor')), ...json },
    payload: payload(2_000_000),
  })
  t.equal(large.statusCode, 413)
  t.match(large.headers['content-type'], /application\/problem\+json/)
  const viewer = await app.inject({
    method: 'POST',
    url: '/v1/things',
    headers: { ...(await as('viewer')), ...json },
    payload: payload(25 * 1024 * 1024),
  })
  t.equal(viewer.statusCode, 403)
})

t.test('the server gives a client REQUEST_TIMEOUT_MS to send its request', async (t) => {
  const app = await build(t)
  t.equal(app.server.requestTimeout, 60_000)
})

t.test('offset is capped at 10000 with a 400 that says so', async (t) => {
  const app = await build(t)
  const headers = await as('viewer')
  t.equal((await app.inject({ method: 'GET', url: '/v1/things?offset=10000', headers })).statusCode, 200)
  const deep = await app.inject({ method: 'GET', url: '/v1/things?offset=10001', headers })
  t.equal(deep.statusCode, 400)
  t.match(deep.json(), { invalidParams: [{ name: 'query.offset', reason: /at most 10000/ }] })
})

t.test("what Node's HTTP parser and the router refuse is problem+json too", async (t) => {
  const app = await build(t)
  const cases = [
    { what: 'a malformed request line', head: 'GARBAGE', status: 400 },
    {
      what: 'headers too large',
      head: `GET /v1/things HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}`,
      status: 431,
    },
    { what: 'a path parameter too long', head: `GET /v1/things/${'a'.repeat(200)} HTTP/1.1\r\nHost: x`, status: 414 },
    { what: 'a path that does not decode', head: 'GET /v1/things/%E0%A4%A HTTP/1.1\r\nHost: x', status: 400 },
  ]
  for (const { what, head, status } of cases) {
    const answer = await rawRequest(app, head)
    t.equal(answer.status, status, what)
    t.match(answer.headers['content-type'], /^application\/problem\+json/, what)
    t.match(JSON.parse(answer.body), { status, title: String }, what)
  }
})

t.test('U+0000 or an unpaired surrogate anywhere in a request is a 400 naming the field', async (t) => {
  const app = await build(t)
  const headers = await as('editor')
  const post = (payload: unknown) =>
    app.inject({ method: 'POST', url: '/v1/things', headers, payload: payload as object })
  const cases = [
    { res: await post({ name: 'a\u0000b' }), name: 'body.name' },
    { res: await post({ tags: ['fine', 'lone \ud800'] }), name: 'body.tags.1' },
    { res: await post({ nested: { '\udc00key': 'x' } }), name: 'body.nested.\udc00key' },
    { res: await app.inject({ method: 'GET', url: '/v1/things?q=a%00b', headers }), name: 'query.q' },
    { res: await app.inject({ method: 'GET', url: '/v1/things/a%00b', headers }), name: 'params.id' },
  ]
  for (const { res, name } of cases) {
    t.equal(res.statusCode, 400, name)
    t.match(res.json(), { type: 'urn:ccm:problem:validation', invalidParams: [{ name, reason: /U\+0000/ }] }, name)
  }
  t.equal((await post({ name: 'Zoë 🇰🇪 \u00a0' })).statusCode, 200, 'paired surrogates (emoji) are text')
})

t.test('a body nested deeper than any resource is a 400 naming where, answered at once', async (t) => {
  const app = await build(t)
  const headers = { ...(await as('editor')), 'content-type': 'application/json' }
  for (const payload of [
    '['.repeat(100_000) + ']'.repeat(100_000),
    '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000),
  ]) {
    const res = await app.inject({ method: 'POST', url: '/v1/things', headers, payload })
    t.equal(res.statusCode, 400)
    t.match(res.json().invalidParams, [{ name: /^body\.(0|a)(\.(0|a)){31}$/, reason: /nested more than 32 levels/ }])
  }
  const bad = await app.inject({
    method: 'POST',
    url: '/v1/things',
    headers,
    payload: JSON.stringify({ tags: Array(10_000).fill('\u0000') }),
  })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().invalidParams.length, 20, 'the first twenty bad fields are named, not ten thousand')
})
