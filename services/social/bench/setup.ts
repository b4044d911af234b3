import { randomUUID } from 'node:crypto'
import { uniqueTopicPrefix } from '@ccm/testing'
import { buildApp } from '../src/app.ts'
import { readConfig, type Config } from '../src/config.ts'
import { startFakeFacebook } from '../test/fakes/facebook.ts'
import { startFakeX } from '../test/fakes/x.ts'

export type App = Awaited<ReturnType<typeof buildApp>>

/** The real service over a bench database, pointed at fresh fakes that impose no limits. */
export async function startBench(databaseUrl: string, overrides: Record<string, string> = {}) {
  const x = await startFakeX()
  const facebook = await startFakeFacebook()
  const config: Readonly<Config> = readConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SOCIAL_DATABASE_URL: databaseUrl,
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    RATE_LIMIT_PER_MINUTE: '100000',
    X_API_BASE_URL: x.url,
    FACEBOOK_GRAPH_BASE_URL: facebook.url,
    ...overrides,
  })
  const apps: App[] = []
  const startInstance = async () => {
    const app = await buildApp(config)
    await app.ready()
    apps.push(app)
    return app
  }
  const app = await startInstance()
  const ctx = { actor: 'bench', correlationId: 'bench' }
  const onX = await app.social.channelsService.create(
    {
      platform: 'x',
      name: 'bench X',
      credentials: { appKey: 'k', appSecret: 's', accessToken: `bench-${randomUUID()}`, accessSecret: 's' },
    },
    ctx,
  )
  const onFacebook = await app.social.channelsService.create(
    { platform: 'facebook', name: 'bench Page', credentials: { pageId: '1000', pageAccessToken: 't' } },
    ctx,
  )

  /**
   * Inserts approved posts straight into Postgres (the HTTP workflow is not what is measured), one
   * delivery per channel, due at `dueAt(i)`, and hands them to the scheduler as the approval would.
   */
  async function schedule(count: number, channels: (i: number) => string[], dueAt: (i: number) => Date, label: string) {
    const ids = Array.from({ length: count }, () => randomUUID())
    const texts = ids.map((_, i) => `${label} ${i}`)
    const due = ids.map((_, i) => dueAt(i).toISOString())
    const chans = ids.map((_, i) => `{${channels(i).join(',')}}`)
    await app.db.query(
      `INSERT INTO posts (id, status, text, channel_ids, scheduled_at, author, updated_by, approved_by, approved_at)
       SELECT id, 'scheduled', text, channel_ids::uuid[], at, 'bench.author', 'bench.author', 'bench.approver', now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS t(id, text, channel_ids, at)`,
      [ids, texts, chans, due],
    )
    const { rows } = await app.db.query(
      `INSERT INTO deliveries (post_id, channel_id, status, due_at)
       SELECT p.id, c, 'scheduled', p.scheduled_at FROM posts p, unnest(p.channel_ids) AS c WHERE p.id = ANY($1::uuid[])
       RETURNING id, due_at`,
      [ids],
    )
    await app.social.scheduler!.schedule(rows.map((r) => ({ id: r.id, dueAt: r.due_at })))
    return { texts, due: new Map(texts.map((t, i) => [t, Date.parse(due[i]!)])), deliveries: rows.length }
  }

  return {
    app,
    x,
    facebook,
    onX,
    onFacebook,
    schedule,
    startInstance,
    async close() {
      const key = `social:timers:${new URL(databaseUrl).pathname.slice(1)}`
      await app.redis.del(key, `${key}:built`)
      for (const a of apps.reverse()) await a.close()
      await x.close()
      await facebook.close()
    },
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export const median = (values: number[]) => percentile(values, 50)
