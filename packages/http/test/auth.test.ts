import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import { SignJWT, type JWTPayload } from 'jose'
import { z } from 'zod'
import { baseConfigSchema, jwtSecret, loadConfig } from '@ccm/config'
import { createHttpApp, rateLimitPlugin, redisPlugin, signToken } from '../src/index.ts'

const config = loadConfig(baseConfigSchema, { NODE_ENV: 'test', LOG_LEVEL: 'silent' })

async function build(t: Test) {
  const app = await createHttpApp({ name: 'test', config })
  app.get(
    '/v1/things',
    { schema: { querystring: z.object({ n: z.coerce.number().int().max(5).optional() }) } },
    async () => ({ ok: true }),
  )
  app.post('/v1/things', async () => ({ created: true }))
  app.delete('/v1/things', { config: { roles: ['admin'] } }, async () => ({ deleted: true }))
  await app.ready()
  t.teardown(() => app.close())
  return app
}

const auth = async (role: 'admin' | 'editor' | 'viewer', sub = `${role}-person`) => ({
  authorization: `Bearer ${await signToken(config, { sub, role })}`,
})

/** A token with exactly these claims (a valid one's, unless `claims` says otherwise), signed with the test secret. */
async function forge(claims: JWTPayload) {
  const now = Math.floor(Date.now() / 1000)
  const payload = {
    role: 'admin',
    sub: 'mallory',
    iss: config.JWT_ISSUER,
    aud: 'ccm',
    iat: now,
    exp: now + 60,
    ...claims,
  }
  for (const [name, value] of Object.entries(payload))
    if (value === undefined) delete payload[name as keyof typeof payload]
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(jwtSecret(config).secret))
  return { authorization: `Bearer ${token}` }
}

t.test('roles: viewers read, editors write, admin-only routes refuse editors', async (t) => {
  const app = await build(t)
  t.equal((await app.inject({ method: 'GET', url: '/v1/things', headers: await auth('viewer') })).statusCode, 200)
  const viewerWrites = await app.inject({ method: 'POST', url: '/v1/things', headers: await auth('viewer') })
  t.equal(viewerWrites.statusCode, 403)
  t.match(viewerWrites.json(), { status: 403, detail: /admin, editor/ })
  t.equal((await app.inject({ method: 'POST', url: '/v1/things', headers: await auth('editor') })).statusCode, 200)
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/things', headers: await auth('editor') })).statusCode, 403)
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/things', headers: await auth('admin') })).statusCode, 200)
})

t.test('tokens that are expired, foreign or malformed get 401 problem+json', async (t) => {
  const app = await build(t)
  const now = Math.floor(Date.now() / 1000)
  const expired = await app.inject({
    method: 'GET',
    url: '/v1/things',
    headers: await forge({ iat: now - 100, exp: now - 10 }),
  })
  t.equal(expired.statusCode, 401)
  t.match(expired.json(), { detail: /expired/ })
  const foreignConfig = loadConfig(baseConfigSchema, {
    NODE_ENV: 'test',
    JWT_SECRET: 'another-secret-of-at-least-32-characters!',
  })
  const foreign = await signToken(foreignConfig, { sub: 'mallory', role: 'admin' })
  const forged = await app.inject({ method: 'GET', url: '/v1/things', headers: { authorization: `Bearer ${foreign}` } })
  t.equal(forged.statusCode, 401)
  t.match(forged.headers['content-type'], /problem\+json/)
  const basic = await app.inject({ method: 'GET', url: '/v1/things', headers: { authorization: 'Basic YTpi' } })
  t.equal(basic.statusCode, 401)
})

t.test(
  'a token must name the ccm audience and a subject, carry exp, and live no longer than JWT_MAX_AGE',
  async (t) => {
    const app = await build(t)
    const now = Math.floor(Date.now() / 1000)
    const get = async (headers: Record<string, string>) =>
      (await app.inject({ method: 'GET', url: '/v1/things', headers })).statusCode
    t.equal(await get(await forge({})), 200, 'the forged token is valid when nothing is missing')
    t.equal(await get(await forge({ exp: undefined })), 401, 'no exp')
    t.equal(await get(await forge({ iat: undefined })), 401, 'no iat')
    t.equal(await get(await forge({ exp: now + config.JWT_MAX_AGE + 60 })), 401, 'lives longer than JWT_MAX_AGE')
    t.equal(await get(await forge({ aud: undefined })), 401, 'no audience')
    t.equal(await get(await forge({ aud: 'another-system' })), 401, 'another audience')
    t.equal(await get(await forge({ sub: '' })), 401, 'an empty subject')
    t.equal(config.JWT_MAX_AGE, 12 * 3600, 'JWT_MAX_AGE is 12h by default')
    await t.rejects(signToken(config, { sub: 'someone', role: 'viewer' }, config.JWT_MAX_AGE + 1), /JWT_MAX_AGE/)
    const short = loadConfig(baseConfigSchema, { NODE_ENV: 'test', JWT_MAX_AGE: '30m' })
    t.equal(short.JWT_MAX_AGE, 1800)
  },
)

t.test('roles are decided before the body is read: a viewer cannot make a write route parse one', async (t) => {
  const app = await build(t)
  const headers = { ...(await auth('viewer')), 'content-type': 'application/json' }
  const res = await app.inject({ method: 'POST', url: '/v1/things', headers, payload: '{"not json' })
  t.equal(res.statusCode, 403)
})

t.test('the rate limit counts a /v1 route however its path is spelled', async (t) => {
  const app = await createHttpApp({ name: 'test', config })
  await app.register(redisPlugin, { url: config.REDIS_URL })
  await app.register(rateLimitPlugin, { perMinute: 2 })
  app.get('/v1/things', async () => ({ ok: true }))
  t.teardown(() => app.close())
  const headers = await auth('viewer', `limited-${randomUUID()}`)
  const codes = []
  for (const url of ['/v1/things', '/%761/things', '/v%31/things'])
    codes.push((await app.inject({ method: 'GET', url, headers })).statusCode)
  t.same(codes, [200, 200, 429])
})

t.test('a bad query parameter is named in the 400', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/v1/things?n=9', headers: await auth('viewer') })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { invalidParams: [{ name: 'query.n', reason: /5/ }] })
})

t.test('only development and test start without a JWT secret of their own', async (t) => {
  for (const NODE_ENV of ['production', 'staging', undefined]) {
    t.throws(() => loadConfig(baseConfigSchema, { NODE_ENV }), /JWT_SECRET is required/, `NODE_ENV ${NODE_ENV}`)
  }
  t.ok(loadConfig(baseConfigSchema, { NODE_ENV: 'development' }))
  t.ok(loadConfig(baseConfigSchema, { NODE_ENV: 'staging', JWT_SECRET: 'a-staging-secret-of-at-least-32-characters' }))
  t.throws(() => loadConfig(baseConfigSchema, { REDIS_URL: 'not a url' }), /REDIS_URL/)
})

t.test('log lines of a request carry its correlation id and actor, and only its own', async (t) => {
  const lines: Record<string, unknown>[] = []
  const app = await createHttpApp({
    name: 'test',
    config: { ...config, LOG_LEVEL: 'info' },
    logStream: {
      write: (line) => {
        lines.push(JSON.parse(line))
      },
    },
  })
  app.get('/v1/things', async () => ({ ok: true }))
  t.teardown(() => app.close())
  await Promise.all([
    app.inject({
      method: 'GET',
      url: '/v1/things',
      headers: { ...(await auth('viewer')), 'x-correlation-id': 'corr-a' },
    }),
    app.inject({
      method: 'GET',
      url: '/v1/things',
      headers: { ...(await auth('editor')), 'x-correlation-id': 'corr-b' },
    }),
  ])
  const completed = lines.filter((l) => l.msg === 'request completed')
  t.equal(completed.length, 2)
  t.same(completed.map((l) => [l.correlationId, l.actor]).sort(), [
    ['corr-a', 'viewer-person'],
    ['corr-b', 'editor-person'],
  ])
})
