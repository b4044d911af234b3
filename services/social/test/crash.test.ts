import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { bearer, createTestDatabase, spawnServer, waitFor } from '@ccm/testing'
import { readConfig } from '../src/config.ts'
import { migrations } from '../src/migrations.ts'
import { startFakeFacebook } from './fakes/facebook.ts'
import { startFakeX } from './fakes/x.ts'
import { PAGE_ID, socialTestEnv } from './helper.ts'

const serviceDir = fileURLToPath(new URL('..', import.meta.url))

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The service as it runs in production: its own process, logging everything to stdout. */
function startService(env: Record<string, string | undefined>, output: string[]): ChildProcess {
  const child = spawnServer(serviceDir, env)
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')))
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')))
  return child
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  )

t.test(
  'a SIGKILL between claim and answer, then a restart: nothing published twice or lost silently, no secret anywhere',
  async (t) => {
    const database = await createTestDatabase('ccm_social', migrations)
    const x = await startFakeX()
    const facebook = await startFakeFacebook()
    const port = await freePort()
    const env = socialTestEnv(database.url, x, facebook, {
      LOG_LEVEL: 'trace',
      SOCIAL_PORT: String(port),
      SOCIAL_CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      SOCIAL_PUBLISH_TIMEOUT_MS: '60000',
    })
    const config = readConfig(env)
    const output: string[] = []
    const children: ChildProcess[] = []
    t.teardown(async () => {
      for (const child of children) child.kill('SIGKILL')
      await Promise.all(children.map(exited))
      await x.close()
      await facebook.close()
      await database.drop()
    })

    const base = `http://127.0.0.1:${port}`
    const responses: string[] = []
    const admin = { authorization: await bearer(config, 'admin', 'admin.user'), 'content-type': 'application/json' }
    const approver = {
      authorization: await bearer(config, 'editor', 'approver.two'),
      'content-type': 'application/json',
    }
    async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      responses.push(text)
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
      return JSON.parse(text)
    }
    async function boot() {
      const child = startService(env, output)
      children.push(child)
      await waitFor('the service to answer', async () => (await fetch(`${base}/readyz`)).ok, 30_000)
      return child
    }

    const first = await boot()
    const secrets = {
      appSecret: `app-secret-${randomBytes(8).toString('hex')}`,
      accessToken: `access-token-${randomBytes(8).toString('hex')}`,
      accessSecret: `access-secret-${randomBytes(8).toString('hex')}`,
      pageAccessToken: `page-token-${randomBytes(8).toString('hex')}`,
    }
    const onX = await call('POST', '/v1/channels', admin, {
      platform: 'x',
      name: 'ISU on X',
      credentials: {
        appKey: 'app-key-public',
        appSecret: secrets.appSecret,
        accessToken: secrets.accessToken,
        accessSecret: secrets.accessSecret,
      },
    })
    const onFacebook = await call('POST', '/v1/channels', admin, {
      platform: 'facebook',
      name: 'ISU Page',
      credentials: { pageId: PAGE_ID, pageAccessToken: secrets.pageAccessToken },
    })
    await call('PATCH', `/v1/channels/${onFacebook.id}`, admin, {
      name: 'ISU Facebook Page',
      credentials: { pageId: PAGE_ID, pageAccessToken: secrets.pageAccessToken },
    })
    await call('GET', '/v1/channels', admin)

    async function approved(text: string, channels: string[], at: string) {
      const post = await call('POST', '/v1/posts', admin, { text, channels, scheduledAt: at })
      const submitted = await call('POST', `/v1/posts/${post.id}/submit`, admin, {})
      return call('POST', `/v1/posts/${post.id}/approve`, approver, { version: submitted.version })
    }

    // X makes the post and never answers; Facebook never gets as far as making it: both calls are held.
    x.answerNext({ kind: 'hold', created: true })
    facebook.answerNext({ kind: 'hold', created: false })
    const soon = new Date(Date.now() + 1500).toISOString()
    const inFlight = await approved('Killed mid-call.', [onX.id, onFacebook.id], soon)
    const later = await approved(
      'Due after the restart.',
      [onX.id, onFacebook.id],
      new Date(Date.now() + 6000).toISOString(),
    )

    await waitFor(
      'both calls to be held by the fakes',
      async () => x.holds.arrived >= 1 && facebook.holds.arrived >= 1,
      15_000,
    )
    first.kill('SIGKILL')
    await exited(first)
    t.equal(x.posts.filter((p) => p.text === 'Killed mid-call.').length, 1, 'X had made the post when the service died')

    await boot()
    const settled = await waitFor(
      'the killed attempts to be settled',
      async () => {
        const post = await call('GET', `/v1/posts/${inFlight.id}`, admin)
        return post.deliveries.every((d: { status: string }) => d.status === 'unconfirmed') ? post : null
      },
      15_000,
    )
    t.equal(settled.status, 'unconfirmed', 'surfaced for a person, not lost')
    t.match(settled.deliveries[0].error, /stopped while publishing/)
    const published = await waitFor(
      'the later post to go out',
      async () => {
        const post = await call('GET', `/v1/posts/${later.id}`, admin)
        return post.status === 'published' ? post : null
      },
      20_000,
    )
    t.equal(published.deliveries.length, 2)
    await new Promise((r) => setTimeout(r, 1500)) // sweeps of the new instance: still nothing re-sent

    t.equal(x.posts.filter((p) => p.text === 'Killed mid-call.').length, 1, 'never re-sent on X')
    t.equal(
      facebook.posts.filter((p) => p.message === 'Killed mid-call.').length,
      0,
      'never sent on Facebook either: it waits for a person',
    )
    t.equal(x.posts.filter((p) => p.text === 'Due after the restart.').length, 1)
    t.equal(facebook.posts.filter((p) => p.message === 'Due after the restart.').length, 1)
    t.ok(
      x.posts.every((p) => p.user === secrets.accessToken),
      'X saw the real credentials',
    )

    // A person checks Facebook, finds nothing, and asks for it to be sent.
    await call('POST', `/v1/posts/${inFlight.id}/deliveries/${onFacebook.id}/resolve`, approver, { outcome: 'retry' })
    await waitFor(
      'the retried delivery to go out',
      async () => facebook.posts.some((p) => p.message === 'Killed mid-call.'),
      10_000,
    )
    t.equal(facebook.posts.filter((p) => p.message === 'Killed mid-call.').length, 1)

    const logs = output.join('')
    t.ok(logs.includes('"level":10') || logs.includes('"level":20'), 'the log stream was captured at trace level')
    t.ok(logs.includes('delivery published'), 'it logged the publishing')
    const stored = await fetch(`${base}/docs/json`).then((r) => r.text())
    t.match(stored, /"openapi":"3\.1\.0"/, 'the API description was served')
    for (const [name, secret] of Object.entries(secrets)) {
      t.notOk(logs.includes(secret), `${name} is in no log line`)
      t.notOk(
        responses.some((r) => r.includes(secret)),
        `${name} is in no response`,
      )
      t.notOk(stored.includes(secret), `${name} is not in the API description`)
    }
    const pg = await import('pg')
    const client = new pg.default.Client({ connectionString: database.url })
    await client.connect()
    try {
      const { rows } = await client.query(
        `SELECT (SELECT string_agg(envelope::text, '') FROM outbox) AS events,
                (SELECT string_agg(coalesce(before::text, '') || coalesce(after::text, ''), '') FROM audit_log)
                  AS audit,
                (SELECT string_agg(encode(credentials, 'escape'), '') FROM channels) AS sealed`,
      )
      for (const [name, secret] of Object.entries(secrets)) {
        t.notOk(rows[0].events?.includes(secret), `${name} is in no event`)
        t.notOk(rows[0].audit?.includes(secret), `${name} is in no audit row`)
        t.notOk(rows[0].sealed?.includes(secret), `${name} is not stored in clear`)
      }
    } finally {
      await client.end()
    }
  },
)
