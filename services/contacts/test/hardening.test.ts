import t from 'tap'
import { build } from './helper.ts'

t.test('text Postgres cannot store is a 400 naming the field, not a 500', async (t) => {
  const { app, as } = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v1/organizations', headers: await as('editor'), payload: { type: 'ngo', name: 'Mines\u0000Action' } })
  t.equal(res.statusCode, 400)
  t.match(res.headers['content-type'], /application\/problem\+json/)
  t.match(res.json(), { invalidParams: [{ name: 'body.name' }] })
})

t.test('a timeline cannot be paged deeper than 10000', async (t) => {
  const { app, as } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/v1/states/KEN/timeline?offset=10001', headers: await as('viewer') })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { invalidParams: [{ name: 'query.offset' }] })
})
