import t from 'tap'
import { z } from 'zod'
import { baseConfigSchema, loadConfig } from '@ccm/config'
import { createHttpApp, expectedVersion, invalidInput, requiredVersion, signToken } from '../src/index.ts'

const config = loadConfig(baseConfigSchema, { NODE_ENV: 'test', LOG_LEVEL: 'silent' })

t.test('If-Match and body.version: one version, from either, and they must agree', async (t) => {
  const app = await createHttpApp({ name: 'test', config })
  const body = z.object({ version: z.number().int().min(1).optional() })
  app.patch('/v1/optional', { schema: { body } }, async (request) => ({
    version: expectedVersion(request, request.body.version) ?? null,
  }))
  app.patch('/v1/required', { schema: { body } }, async (request) => ({
    version: requiredVersion(request, request.body.version),
  }))
  app.post('/v1/refused', async () => {
    throw invalidInput([
      { name: 'body.a', reason: 'is wrong' },
      { name: 'body.b', reason: 'is too' },
    ])
  })
  await app.ready()
  t.teardown(() => app.close())
  const authorization = `Bearer ${await signToken(config, { sub: 'editor-person', role: 'editor' })}`
  const patch = (url: string, ifMatch: string | undefined, payload: object) =>
    app.inject({
      method: 'PATCH',
      url,
      headers: { authorization, ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) },
      payload,
    })

  for (const header of ['"3"', 'W/"3"', '3', ' "3" ']) {
    t.same((await patch('/v1/optional', header, {})).json(), { version: 3 }, `If-Match ${header}`)
  }
  t.same((await patch('/v1/optional', undefined, { version: 4 })).json(), { version: 4 }, 'the body alone')
  t.same((await patch('/v1/optional', '"4"', { version: 4 })).json(), { version: 4 }, 'both, agreeing')
  t.same((await patch('/v1/optional', undefined, {})).json(), { version: null }, 'neither, where it is optional')

  for (const header of ['', 'yesterday', '*', '"3", "4"', '"3', '0', '"-1"', '99999999999999999999']) {
    const res = await patch('/v1/optional', header, {})
    t.equal(res.statusCode, 400, `If-Match ${JSON.stringify(header)}`)
    t.match(res.json(), {
      type: 'urn:ccm:problem:validation',
      code: 'VALIDATION',
      invalidParams: [{ name: 'headers.if-match', reason: /version you read/ }],
    })
  }
  const disagree = await patch('/v1/optional', '"3"', { version: 4 })
  t.equal(disagree.statusCode, 400, 'If-Match and body.version disagreeing is a 400, not a 409')
  t.match(disagree.json(), {
    invalidParams: [{ name: 'headers.if-match', reason: 'is version 3, but body.version is 4' }],
  })

  const missing = await patch('/v1/required', undefined, {})
  t.equal(missing.statusCode, 400)
  t.match(missing.json(), { code: 'VALIDATION', invalidParams: [{ name: 'body.version', reason: /is required/ }] })
  t.same((await patch('/v1/required', 'W/"2"', {})).json(), { version: 2 })

  const refused = await app.inject({ method: 'POST', url: '/v1/refused', headers: { authorization } })
  t.match(
    refused.json(),
    {
      status: 400,
      type: 'urn:ccm:problem:validation',
      code: 'VALIDATION',
      detail: 'body.a: is wrong; body.b: is too',
      invalidParams: [
        { name: 'body.a', reason: 'is wrong' },
        { name: 'body.b', reason: 'is too' },
      ],
    },
    'a check only the service makes answers like a schema validation failure',
  )
})
