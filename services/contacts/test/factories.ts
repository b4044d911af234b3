import type { Test } from 'tap'
import type { build } from './helper.ts'

type Built = Awaited<ReturnType<typeof build>>
type Headers = Record<string, string>

let counter = 0
const unique = () => `${process.pid}-${++counter}`

/** Small data factories over the real API: each returns the created resource, failing the test if it was refused. */
export function factories(t: Test, { app }: Built, headers: Headers) {
  async function post(url: string, payload: object) {
    const res = await app.inject({ method: 'POST', url, headers, payload })
    if (res.statusCode !== 201) t.fail(`POST ${url} answered ${res.statusCode}: ${res.body}`)
    return res.json()
  }
  return {
    organization: (fields: object = {}) =>
      post('/v1/organizations', { type: 'ngo', name: `Organisation ${unique()}`, ...fields }),
    person: (fields: object = {}) =>
      post('/v1/people', { givenName: 'Test', familyName: `Person ${unique()}`, ...fields }),
    interaction: (fields: object = {}) =>
      post('/v1/interactions', {
        kind: 'meeting',
        occurredAt: '2026-03-02T10:30:00+01:00',
        summary: 'A meeting',
        ...fields,
      }),
  }
}
