import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AssignerProtocol } from 'kafkajs'
import pg from 'pg'
import { pino } from 'pino'
import t from 'tap'
import { createPool } from '@ccm/db'
import { createKafka, ensureTopics, serviceTopics } from '@ccm/events'
import { bearer, createTestDatabase, spawnServer, testEnv, uniqueTopicPrefix, waitFor } from '@ccm/testing'
import { migrations as campaignsMigrations } from '../services/campaigns/src/migrations.ts'
import { readConfig as readContactsConfig } from '../services/contacts/src/config.ts'
import { migrations as contactsMigrations } from '../services/contacts/src/migrations.ts'
import { seedStates } from '../services/contacts/src/services/seed.ts'
import { migrations as socialMigrations } from '../services/social/src/migrations.ts'
import { startFakeFacebook } from '../services/social/test/fakes/facebook.ts'
import { startFakeX } from '../services/social/test/fakes/x.ts'
import { captureOutput, exited, freePort, run } from './helper.ts'

const INTERACTIONS = 12
const POSTS = 8

/** One SQL answer from a database, on a connection of its own. */
async function sql<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(text, values)).rows as T[]
  } finally {
    await client.end()
  }
}

t.test('two instances of each service: every event applied once, every post published once', async (t) => {
  const prefix = uniqueTopicPrefix()
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')
  const kafka = createKafka({ clientId: 'two-instances-test', brokers, logger: pino({ level: 'warn' }) })
  const admin = kafka.admin()
  await admin.connect()
  t.teardown(() => admin.disconnect())
  // As infra/create-topics.ts makes them for compose: 3 partitions each, before any service starts.
  await ensureTopics(
    admin,
    serviceTopics.map((topic) => prefix + topic),
    { partitions: 3 },
  )

  const [contactsDb, campaignsDb, socialDb] = await Promise.all([
    createTestDatabase('ccm_contacts', contactsMigrations),
    createTestDatabase('ccm_campaigns', campaignsMigrations),
    createTestDatabase('ccm_social', socialMigrations),
  ])
  const [x, facebook] = await Promise.all([startFakeX(), startFakeFacebook()])
  const children: { name: string; child: ChildProcess; output: string[] }[] = []
  t.teardown(async () => {
    for (const { child } of children) child.kill('SIGKILL')
    await Promise.all(children.map(({ child }) => exited(child)))
    await Promise.all([x.close(), facebook.close()])
    await Promise.all([contactsDb.drop(), campaignsDb.drop(), socialDb.drop()])
  })
  // The 197 states and their state.registered events, which the contacts relays will publish.
  const seeding = createPool(contactsDb.url, { max: 2 })
  await seedStates(seeding)
  await seeding.end()

  const settings: Record<string, Record<string, string>> = {
    contacts: { CONTACTS_DATABASE_URL: contactsDb.url },
    campaigns: { CAMPAIGNS_DATABASE_URL: campaignsDb.url },
    social: {
      SOCIAL_DATABASE_URL: socialDb.url,
      SOCIAL_SWEEP_MS: '500',
      X_API_BASE_URL: x.url,
      FACEBOOK_GRAPH_BASE_URL: facebook.url,
    },
  }
  const deployed: Record<string, string> = {}
  await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', 'contacts', 'campaigns', 'social'])
  for (const service of ['contacts', 'campaigns', 'social']) {
    deployed[service] = mkdtempSync(join(tmpdir(), `ccm-${service}-`))
    t.teardown(() => rmSync(deployed[service]!, { recursive: true, force: true }))
    await run('bash', ['scripts/deploy-service.sh', service, deployed[service]!])
  }
  const bases: Record<string, string[]> = { contacts: [], campaigns: [], social: [] }
  for (const service of ['contacts', 'campaigns', 'social']) {
    for (const instance of [1, 2]) {
      const port = await freePort()
      const env = testEnv({
        ...settings[service],
        KAFKA_TOPIC_PREFIX: prefix,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        [`${service.toUpperCase()}_PORT`]: String(port),
      })
      // From the build, laid out as in the image: six processes that compile nothing start in seconds.
      const child = spawnServer(deployed[service]!, { ...env, NODE_OPTIONS: '' }, [
        '--enable-source-maps',
        'dist/server.js',
      ])
      children.push({ name: `${service} ${instance}`, child, output: captureOutput(child) })
      bases[service]!.push(`http://127.0.0.1:${port}`)
    }
  }
  const logs = () => children.map(({ name, output }) => `--- ${name}\n${output.join('')}`).join('\n')
  for (const base of Object.values(bases).flat()) {
    await waitFor(
      `${base} to be ready`,
      async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok,
      // Six processes starting at once on a shared two-core machine: minutes, when it is busy.
      480_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${logs()}`)
    })
  }

  const config = readContactsConfig(testEnv()) // the test secret every instance verifies tokens with
  const headers = async (role: 'editor' | 'admin', sub: string) => ({
    authorization: await bearer(config, role, sub),
    'content-type': 'application/json',
  })
  async function call(base: string, method: string, path: string, body: unknown, as: Record<string, string>) {
    const res = await fetch(`${base}${path}`, { method, headers: as, body: JSON.stringify(body) })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${base}${path}: ${res.status} ${text}`)
    return JSON.parse(text)
  }
  const editor = await headers('editor', 'marie.dupont')

  await waitFor(
    'campaigns to know the 197 states',
    async () => (await sql<{ n: number }>(campaignsDb.url, 'SELECT count(*)::int AS n FROM states'))[0]!.n === 197,
    120_000,
  )

  t.test('interactions logged through both contacts instances move each target once', async (t) => {
    const campaign = await call(
      bases.campaigns![0]!,
      'POST',
      '/v1/campaigns',
      { name: 'Two of everything', objective: 'Every signatory contacted', owner: 'marie.dupont', status: 'active' },
      editor,
    )
    const added: { iso3: string }[] = (
      await call(
        bases.campaigns![1]!,
        'POST',
        `/v1/campaigns/${campaign.id}/targets`,
        { filter: { status: 'signatory' } },
        editor,
      )
    ).added
    const targets = added.slice(0, INTERACTIONS).map((a) => a.iso3)
    t.ok(targets.length >= 6, `${targets.length} signatories to contact`)
    const interactions = await Promise.all(
      targets.map((iso3, i) =>
        call(
          bases.contacts![i % 2]!,
          'POST',
          '/v1/interactions',
          { kind: 'letter', occurredAt: new Date().toISOString(), summary: `Letter to ${iso3}`, states: [iso3] },
          editor,
        ),
      ),
    )

    const group = `${prefix}campaigns`
    await waitFor(
      'campaigns to apply every interaction',
      async () =>
        (
          await sql<{ n: number }>(
            campaignsDb.url,
            `SELECT count(*)::int AS n FROM processed_events WHERE consumer_group = $1 AND event_type = $2`,
            [group, 'contacts.interaction.logged'],
          )
        )[0]!.n === targets.length,
      120_000,
    )
    const moves = await sql<{ iso3: string; n: number; events: number }>(
      campaignsDb.url,
      `SELECT iso3, count(*)::int AS n, count(DISTINCT caused_by_event_id)::int AS events FROM target_transitions
        WHERE campaign_id = $1 AND to_stage = 'contacted' GROUP BY iso3 ORDER BY iso3`,
      [campaign.id],
    )
    t.same(
      moves,
      [...targets].sort().map((iso3) => ({ iso3, n: 1, events: 1 })),
      'each target moved to contacted once, by one event',
    )
    const logged = await sql<{ n: number }>(
      contactsDb.url,
      `SELECT count(DISTINCT aggregate_id)::int AS n FROM outbox WHERE type = 'contacts.interaction.logged'`,
    )
    t.equal(logged[0]!.n, interactions.length, 'one interaction.logged event per interaction, from both instances')

    // Each outbox row reached Kafka once: the topic holds as many messages as contacts' outbox has rows.
    const offsets = await admin.fetchTopicOffsets(`${prefix}contacts.events`)
    const onTopic = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)
    const stored = await sql<{ n: number }>(contactsDb.url, `SELECT count(*)::int AS n FROM outbox`)
    t.equal(onTopic, stored[0]!.n, `${onTopic} messages on contacts.events for ${stored[0]!.n} outbox rows`)
  })

  t.test('posts scheduled through both social instances are published once each', async (t) => {
    const admin = await headers('admin', 'admin.user')
    const channel = await call(
      bases.social![0]!,
      'POST',
      '/v1/channels',
      {
        platform: 'x',
        name: 'ISU on X',
        credentials: { appKey: 'k', appSecret: 's', accessToken: 'isu-token', accessSecret: 'a' },
      },
      admin,
    )
    const author = await headers('editor', 'author.one')
    const approver = await headers('editor', 'approver.two')
    const at = new Date(Date.now() + 4000).toISOString()
    const ids: string[] = []
    for (let i = 0; i < POSTS; i++) {
      const base = bases.social![i % 2]!
      const other = bases.social![(i + 1) % 2]!
      const text = `Two of everything, post ${i + 1}`
      const post = await call(base, 'POST', '/v1/posts', { text, channels: [channel.id], scheduledAt: at }, author)
      const submitted = await call(other, 'POST', `/v1/posts/${post.id}/submit`, {}, author)
      await call(base, 'POST', `/v1/posts/${post.id}/approve`, { version: submitted.version }, approver)
      ids.push(post.id)
    }
    await waitFor(
      'every post to be published',
      async () => {
        const rows = await sql<{ n: number }>(
          socialDb.url,
          `SELECT count(*)::int AS n FROM deliveries WHERE status = 'published'`,
        )
        return rows[0]!.n === POSTS
      },
      60_000,
    )
    const texts = x.posts.map((p) => p.text).sort()
    t.same(texts, ids.map((_, i) => `Two of everything, post ${i + 1}`).sort(), 'X received each post once')
    const attempts = await sql<{ attempts: number }>(socialDb.url, `SELECT attempts FROM deliveries`)
    t.same(
      attempts.map((a) => a.attempts),
      ids.map(() => 1),
      'one attempt per delivery',
    )
    const schedulers = await sql<{ n: number }>(
      socialDb.url,
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()
          AND application_name = 'social-scheduler'`,
    )
    t.equal(schedulers[0]!.n, 2, 'both instances schedule, side by side')
  })

  t.test("each consumer group's partitions are split between the two instances", async (t) => {
    for (const [group, topic] of [
      [`${prefix}campaigns`, `${prefix}contacts.events`],
      [`${prefix}social`, `${prefix}campaigns.events`],
    ] as const) {
      const members = await waitFor(
        `${group} to be stable with two members`,
        async () => {
          const [description] = (await admin.describeGroups([group])).groups
          if (description?.state !== 'Stable' || description.members.length !== 2) return null
          return description.members.map(
            (m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic] ?? [],
          )
        },
        60_000,
      )
      const all = members.flat().sort()
      t.same(all, [0, 1, 2], `${group}: the 3 partitions of ${topic}, each assigned once`)
      t.ok(
        members.every((partitions) => partitions.length > 0),
        `${group}: both instances consume (${members.map((p) => p.join(',')).join(' | ')})`,
      )
    }
  })

  t.test('one outbox relay per database at a time, the other instance standing by', async (t) => {
    // The standby's relay opens a session now and then to try the lock: count the lock held, not the sessions,
    // several times over.
    for (const url of [contactsDb.url, campaignsDb.url, socialDb.url]) {
      const holders: number[] = []
      for (let i = 0; i < 5; i++) {
        const [row] = await sql<{ n: number }>(
          url,
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'outbox-relay'
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )
        holders.push(row!.n)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      t.same(holders, [1, 1, 1, 1, 1], `${new URL(url).pathname.slice(1)}: one relay holds the lock`)
    }
  })
})
