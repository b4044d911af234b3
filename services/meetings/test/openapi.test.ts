import t from 'tap'
import { operationIdProblems } from '@ccm/testing'
import { build } from './helper.ts'

t.test('every operation in the OpenAPI document has an operationId of its own, in camelCase', async (t) => {
  const { app } = await build(t)
  const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json()
  t.ok(Object.keys(document.paths).length > 0, 'the document has operations')
  t.same(operationIdProblems(document), [])
})
