import t, { type Test } from 'tap'
import { z } from 'zod'
import { baseConfigSchema, loadConfig } from '@ccm/config'
import { createHttpApp, signToken } from '../src/index.ts'

const config = loadConfig(baseConfigSchema, { NODE_ENV: 'test', LOG_LEVEL: 'silent' })

async function build(t: Test) {
  const app = await createHttpApp({ name: 'test', config })
  app.get('/v1/things', { schema: { querystring: z.object({ n: z.coerce.number().int().max(5).optional() }) } }, async () => ({ ok: true }))
  app.post('/v1/things', async () => ({ created: true }))
  app.delete('/v1/things', { config: { roles: ['admin'] } }, async () => ({ deleted: true }))
  await app.ready()
  t.teardown(() => app.close())
  return app
}

const auth = async (role: 'admin' | 'editor' | 'viewer', expiresIn: string | number = '1h') =>
  ({ authorization: `Bearer ${await signToken(config, { sub: `${role}-person`, role }, expiresIn)}` })

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
  const expired = await app.inject({ method: 'GET', url: '/v1/things', headers: await auth('viewer', Math.floor(Date.now() / 1000) - 10) })
  t.equal(expired.statusCode, 401)
  t.match(expired.json(), { detail: /expired/ })
  const foreignConfig = loadConfig(baseConfigSchema, { NODE_ENV: 'test', JWT_SECRET: 'another-secret-of-at-least-32-characters!' })
  const foreign = await signToken(foreignConfig, { sub: 'mallory', role: 'admin' })
  const forged = await app.inject({ method: 'GET', url: '/v1/things', headers: { authorization: `Bearer ${foreign}` } })
  t.equal(forged.statusCode, 401)
  t.match(forged.headers['content-type'], /problem\+json/)
  const basic = await app.inject({ method: 'GET', url: '/v1/things', headers: { authorization: 'Basic YTpi' } })
  t.equal(basic.statusCode, 401)
})

t.test('a bad query parameter is named in the 400', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/v1/things?n=9', headers: await auth('viewer') })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { invalidParams: [{ name: 'query.n', reason: /5/ }] })
})

t.test('configuration is refused in production without a JWT secret', async (t) => {
  t.throws(() => loadConfig(baseConfigSchema, { NODE_ENV: 'production' }), /JWT_SECRET is required/)
  t.throws(() => loadConfig(baseConfigSchema, { REDIS_URL: 'not a url' }), /REDIS_URL/)
})

t.test('log lines of a request carry its correlation id and actor, and only its own', async (t) => {
  const lines: Record<string, unknown>[] = []
  const app = await createHttpApp({
    name: 'test', config: { ...config, LOG_LEVEL: 'info' }, logStream: { write: (line) => { lines.push(JSON.parse(line)) } },
  })
  app.get('/v1/things', async () => ({ ok: true }))
  t.teardown(() => app.close())
  await Promise.all([
    app.inject({ method: 'GET', url: '/v1/things', headers: { ...(await auth('viewer')), 'x-correlation-id': 'corr-a' } }),
    app.inject({ method: 'GET', url: '/v1/things', headers: { ...(await auth('editor')), 'x-correlation-id': 'corr-b' } }),
  ])
  const completed = lines.filter((l) => l.msg === 'request completed')
  t.equal(completed.length, 2)
  t.same(completed.map((l) => [l.correlationId, l.actor]).sort(), [['corr-a', 'viewer-person'], ['corr-b', 'editor-person']])
})
