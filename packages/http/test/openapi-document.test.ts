import t from 'tap'
import { z } from 'zod'
import { baseConfigSchema, loadConfig } from '@ccm/config'
import { createHttpApp, problemSchema } from '../src/index.ts'

const config = loadConfig(baseConfigSchema, { NODE_ENV: 'test', LOG_LEVEL: 'silent' })

t.test('the OpenAPI document is one tools accept', async (t) => {
  const app = await createHttpApp({ name: 'test', config })
  t.teardown(() => app.close())
  const part = z.object({ name: z.string() }).meta({ id: 'Part' })
  const thing = z
    .object({ parts: z.array(part), counts: z.record(z.enum(['open', 'done']), z.number()) })
    .meta({ id: 'Thing' })
  z.object({ never: z.string() }).meta({ id: 'Unused' })
  app.get(
    '/v1/things.csv',
    {
      schema: { operationId: 'exportThings', produces: ['text/csv'], response: { 200: thing, 404: problemSchema } },
    },
    async () => ({ parts: [], counts: { open: 0, done: 0 } }),
  )
  await app.ready()
  const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json()

  t.same(doc.servers, [{ url: '/', description: 'the host that serves this document' }])
  t.same(Object.keys(doc.paths), ['/v1/things.csv'], 'health probes and metrics are not API')
  t.same(
    Object.keys(doc.components.schemas).sort(),
    ['Part', 'Problem', 'Thing'],
    'only the components an operation reaches',
  )
  t.notOk(doc.components.schemas.Thing.$id, 'no $id for a $ref inside to resolve against')
  t.same(
    doc.components.schemas.Thing.properties.counts,
    {
      type: 'object',
      properties: { open: { type: 'number' }, done: { type: 'number' } },
      required: ['open', 'done'],
      additionalProperties: false,
    },
    'a record over an enum lists its properties',
  )
  t.same(
    doc.paths['/v1/things.csv'].get.responses[404],
    {
      description: 'Not Found',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    },
    'an error is documented as the problem+json it is sent as',
  )
})
