import t from 'tap'
import type { Test } from 'tap'
import type { AddressInfo } from 'node:net'
import { createTestDatabase, rawRequest, testEnv } from '@ccm/testing'
import { buildApp as buildContacts } from '../../contacts/src/app.ts'
import { readConfig as readContactsConfig } from '../../contacts/src/config.ts'
import { migrations as contactsMigrations } from '../../contacts/src/migrations.ts'
import { build } from './helper.ts'

const JWT_SECRET = 'console-proxy-test-secret-of-at-least-32-characters'
/** Above the 1 MB the console would parse itself, so a larger body shows that it streams rather than reads. */
const IMPORT_MAX_BYTES = Math.round(1.2 * 1024 * 1024)

/** The real contacts app, on a port of its own, over a database and topics of its own. */
async function startContacts(t: Test, importMaxBytes: number) {
  const database = await createTestDatabase('ccm_contacts', contactsMigrations)
  const contacts = await buildContacts(
    readContactsConfig(
      testEnv({
        CONTACTS_DATABASE_URL: database.url,
        CONTACTS_IMPORT_MAX_BYTES: String(importMaxBytes),
        JWT_SECRET,
      }),
    ),
  )
  t.teardown(async () => {
    await contacts.close()
    await database.drop()
  })
  await contacts.listen({ host: '127.0.0.1', port: 0 })
  return `http://127.0.0.1:${(contacts.server.address() as AddressInfo).port}`
}

t.test('the proxy to the services', async (t) => {
  const contactsUrl = await startContacts(t, IMPORT_MAX_BYTES)
  const { app, signedIn } = await build(t, {
    JWT_SECRET,
    CONTACTS_URL: contactsUrl,
    CAMPAIGNS_URL: 'http://127.0.0.1:9', // nothing listens there
  })
  const editor = await signedIn('editor')
  const viewer = await signedIn('viewer')

  t.test('adds a token the service accepts, for the signed-in user, with the query as sent', async (t) => {
    const response = await app.inject({
      url: '/api/contacts/v1/organizations?limit=2&q=x',
      headers: editor.browser.reads,
    })
    t.equal(response.statusCode, 200)
    t.match(response.json(), { items: [], limit: 2 })
    const created = await app.inject({
      method: 'POST',
      url: '/api/contacts/v1/organizations',
      headers: editor.browser.writes,
      payload: { type: 'ngo', name: 'Testland Campaign to Ban Cluster Munitions' },
    })
    t.equal(created.statusCode, 201)
    t.equal(created.headers.etag, '"1"', 'the ETag passes through')
    const direct = await fetch(`${contactsUrl}/v1/organizations/${created.json().id}`).then((r) => r.status)
    t.equal(direct, 401, 'the service itself still wants a token: the console added it')
  })

  t.test("a viewer's write is refused by the service with 403 problem+json, passed through", async (t) => {
    const refused = await app.inject({
      method: 'POST',
      url: '/api/contacts/v1/organizations',
      headers: viewer.browser.writes,
      payload: { type: 'ministry', name: 'Not allowed' },
    })
    t.equal(refused.statusCode, 403)
    t.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.match(refused.json().detail, /you are viewer/)
  })

  t.test("the service's 400 naming the field passes through unchanged", async (t) => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/contacts/v1/organizations',
      headers: editor.browser.writes,
      payload: { type: 'castle', name: 'X' },
    })
    t.equal(bad.statusCode, 400)
    t.match(bad.json().invalidParams, [{ name: 'body.type' }])
  })

  t.test('a body streams through to the service, which alone applies its limit', async (t) => {
    const header = 'given_name,family_name,email,organization,role,phone,preferred_language,tags'
    const csv = (rows: number) =>
      [header, ...Array.from({ length: rows }, (_, i) => `Given${i},Family${i},person${i}@example.org,,,,,`)].join('\n')
    const import_ = (body: string) =>
      app.inject({
        method: 'POST',
        url: '/api/contacts/v1/imports/people?dryRun=true',
        headers: { ...editor.browser.writes, 'content-type': 'text/csv' },
        payload: body,
      })
    const dryRun = await import_(csv(200))
    t.equal(dryRun.statusCode, 200)
    t.equal(dryRun.json().totalRows, 200)
    const queued = await app.inject({
      method: 'POST',
      url: '/api/contacts/v1/imports/people?dryRun=true',
      headers: { ...editor.browser.writes, 'content-type': 'text/csv', prefer: 'respond-async' },
      payload: csv(5),
    })
    t.equal(queued.statusCode, 202)
    t.match(queued.headers.location, /^\/api\/contacts\/v1\/imports\//, "the Location is the console's path")
    const large = csv(40_000)
    t.ok(large.length > IMPORT_MAX_BYTES && large.length > 1024 * 1024)
    const tooLarge = await import_(large)
    t.equal(tooLarge.statusCode, 413)
    t.equal(tooLarge.json().code, 'CONTACTS_IMPORT_TOO_LARGE', "the service's limit, not the console's 1 MB")
  })

  t.test('an export keeps its Content-Type and Content-Disposition', async (t) => {
    const csv = await app.inject({ url: '/api/contacts/v1/exports/organizations.csv', headers: editor.browser.reads })
    t.equal(csv.statusCode, 200)
    t.match(csv.headers['content-type'], /^text\/csv/)
    t.match(csv.headers['content-disposition'], /attachment; filename="organizations.csv"/)
    t.match(csv.body, /Testland Campaign/)
  })

  t.test('an unreachable service is a 503 problem naming it', async (t) => {
    const down = await app.inject({ url: '/api/campaigns/v1/campaigns', headers: editor.browser.reads })
    t.equal(down.statusCode, 503)
    t.equal(down.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.match(down.json().detail, /campaigns/)
    t.ok(down.headers['retry-after'])
  })

  t.test('needs a session, and the CSRF token on writes', async (t) => {
    t.equal((await app.inject({ url: '/api/contacts/v1/organizations' })).statusCode, 401)
    const noToken = await app.inject({
      method: 'POST',
      url: '/api/contacts/v1/organizations',
      headers: editor.browser.reads,
      payload: { type: 'ministry', name: 'No CSRF token' },
    })
    t.equal(noToken.statusCode, 403)
    t.match(noToken.json().type, /csrf$/)
  })

  t.test('proxies /v1 paths only, however the path is spelled', async (t) => {
    const spellings = [
      '/api/contacts/readyz',
      '/api/contacts/metrics',
      '/api/contacts/docs/json',
      '/api/contacts/%2e%2e/readyz',
      '/api/contacts/v1/../readyz',
      '/api/contacts/v1/./../readyz',
      '/api/contacts/v1/%2e%2e/readyz',
      '/api/contacts/v1/%2E%2E/docs/json',
      '/api/contacts/v1/..%2freadyz',
      '/api/contacts/v1/%2e%2e%2fdocs%2fjson',
      '/api/contacts/%76%31/../readyz',
      '/api/contacts/v1//readyz',
      '/api/contacts/v1/..\\readyz',
      'http://127.0.0.1/api/contacts/v1/../readyz',
    ]
    for (const path of spellings) {
      const answer = await rawRequest(
        app,
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${editor.browser.cookie}`,
      )
      t.ok([400, 404].includes(answer.status), `${path}: ${answer.status}`)
      t.notMatch(answer.body, /"ready"|openapi|process_cpu/, `${path} reaches no service route`)
    }
    const oddButFine = await rawRequest(
      app,
      `GET /api/contacts/%76%31/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${editor.browser.cookie}`,
    )
    t.equal(oddButFine.status, 200, 'another spelling of a /v1 path is that /v1 path')
  })
})
