// The social service's benchmarks against the fake platforms: (a) punctuality of 1,000 posts due at
// distinct times over two minutes; (b) 5,000 deliveries due at one instant, published exactly once.
import { setTimeout as sleep } from 'node:timers/promises'
import { createTestDatabase } from '@ccm/testing'
import { migrations } from '../src/migrations.ts'
import { median, percentile, startBench } from './setup.ts'

const fmt = (ms: number) => `${ms.toFixed(0)} ms`

async function punctuality() {
  const database = await createTestDatabase('ccm_social_bench', migrations)
  const bench = await startBench(database.url, { SOCIAL_PUBLISH_CONCURRENCY: '16' })
  try {
    const count = 1000
    const spacingMs = 120 // 1,000 × 120 ms = two minutes
    const start = Date.now() + 5000
    const { texts, due } = await bench.schedule(
      count,
      (i) => [i % 2 ? bench.onFacebook.id : bench.onX.id],
      (i) => new Date(start + i * spacingMs),
      'Punctual',
    )
    // Baseline, measured in the same run: a bare timer for each due time, in the same process.
    const timerLateness: number[] = []
    for (let i = 0; i < count; i++) {
      const at = start + i * spacingMs
      setTimeout(() => timerLateness.push(Date.now() - at), at - Date.now())
    }
    const sent = () => bench.x.posts.length + bench.facebook.posts.length
    while (sent() < count && Date.now() < start + count * spacingMs + 30_000) await sleep(250)
    const records = [
      ...bench.x.posts.map((p) => ({ text: p.text, at: p.at })),
      ...bench.facebook.posts.map((p) => ({ text: p.message, at: p.at })),
    ]
    const lateness = records.map((r) => r.at - due.get(r.text)!)
    const early = lateness.filter((l) => l < 0).length
    const once = texts.every((t) => records.filter((r) => r.text === t).length === 1)
    return {
      published: records.length,
      early,
      once,
      p50: percentile(lateness, 50),
      p99: percentile(lateness, 99),
      max: Math.max(...lateness),
      timerP50: percentile(timerLateness, 50),
      timerP99: percentile(timerLateness, 99),
    }
  } finally {
    await bench.close()
    await database.drop()
  }
}

async function burst(instances: number) {
  const database = await createTestDatabase('ccm_social_bench', migrations)
  const bench = await startBench(database.url, { SOCIAL_PUBLISH_CONCURRENCY: '32' })
  try {
    for (let i = 1; i < instances; i++) await bench.startInstance()
    const posts = 2500
    const at = Date.now() + 3000
    const { texts, deliveries } = await bench.schedule(
      posts,
      () => [bench.onX.id, bench.onFacebook.id],
      () => new Date(at),
      `Burst ${Date.now()}`,
    )
    while (bench.x.posts.length + bench.facebook.posts.length < deliveries && Date.now() < at + 120_000)
      await sleep(100)
    const last = Math.max(...bench.x.posts.map((p) => p.at), ...bench.facebook.posts.map((p) => p.at))
    const settledCount = async () =>
      (await bench.app.db.query(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'published'`)).rows[0]
        .n as number
    while ((await settledCount()) < deliveries && Date.now() < at + 150_000) await sleep(100)
    const settledMs = Date.now() - at
    await sleep(1500) // anything sent twice would show now
    const xCounts = new Map<string, number>()
    const fbCounts = new Map<string, number>()
    for (const p of bench.x.posts) xCounts.set(p.text, (xCounts.get(p.text) ?? 0) + 1)
    for (const p of bench.facebook.posts) fbCounts.set(p.message, (fbCounts.get(p.message) ?? 0) + 1)
    const exactlyOnce = texts.every((t) => xCounts.get(t) === 1 && fbCounts.get(t) === 1)
    const { rows } = await bench.app.db.query(
      `SELECT count(*) FILTER (WHERE status = 'published')::int AS published,
              count(DISTINCT claimed_by)::int AS claimers
         FROM deliveries`,
    )
    return {
      deliveries,
      recorded: bench.x.posts.length + bench.facebook.posts.length,
      allOutMs: last - at,
      settledMs,
      exactlyOnce,
      publishedInDb: rows[0].published,
      claimers: rows[0].claimers,
    }
  } finally {
    await bench.close()
    await database.drop()
  }
}

/** The fakes' own ceiling: the same 5,000 calls straight from fetch, no database, no scheduler. */
async function rawFakeThroughput() {
  const { startFakeX } = await import('../test/fakes/x.ts')
  const x = await startFakeX()
  try {
    const started = Date.now()
    let next = 0
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < 5000) {
          const i = next++
          await fetch(`${x.url}/2/tweets`, {
            method: 'POST',
            headers: { authorization: 'Bearer raw', 'content-type': 'application/json' },
            body: JSON.stringify({ text: `raw ${i}` }),
          })
        }
      }),
    )
    return Date.now() - started
  } finally {
    await x.close()
  }
}

console.log('social bench: (a) 1,000 posts due at distinct times over two minutes…')
const a = await punctuality()
console.log('social bench: (b) 5,000 deliveries due at one instant, three runs (two instances side by side)…')
const runs = []
for (let i = 0; i < 3; i++) runs.push(await burst(2))
const raw = await rawFakeThroughput()

const bMedian = median(runs.map((r) => r.allOutMs))
console.log(
  [
    '',
    'social bench summary',
    '(a) punctuality, 1,000 posts over 120 s (one instance, 500 X + 500 Facebook)',
    `    published ${a.published}/1000, exactly once: ${a.once}, early: ${a.early}`,
    `    lateness p50 ${fmt(a.p50)}, p99 ${fmt(a.p99)}, max ${fmt(a.max)}   ` +
      `goal p99 <= 1000 ms: ${a.p99 <= 1000 ? 'met' : 'NOT met'}`,
    `    baseline (a bare setTimeout per due time, same process): p50 ${fmt(a.timerP50)}, p99 ${fmt(a.timerP99)}; ` +
      `p99 ratio ${(a.p99 / Math.max(1, a.timerP99)).toFixed(1)}x`,
    `(b) burst, 5,000 deliveries (2,500 posts × X + Facebook) due at one instant, median of ${runs.length} runs`,
    `    all out after ${fmt(bMedian)} (runs: ${runs.map((r) => fmt(r.allOutMs)).join(', ')})   ` +
      `goal <= 60000 ms: ${bMedian <= 60_000 ? 'met' : 'NOT met'}`,
    `    all settled as published in Postgres after ${fmt(median(runs.map((r) => r.settledMs)))} (median)`,
    `    exactly once by the fakes' own record: ${runs.every((r) => r.exactlyOnce)} ` +
      `(recorded ${runs.map((r) => r.recorded).join(', ')}; ` +
      `published in Postgres ${runs.map((r) => r.publishedInDb).join(', ')}; ` +
      `instances that claimed: ${runs.map((r) => r.claimers).join(', ')})`,
    `    baseline (5,000 posts straight to the fake with fetch, 32 at a time): ${fmt(raw)}; ` +
      `ratio ${(bMedian / Math.max(1, raw)).toFixed(1)}x`,
    '',
  ].join('\n'),
)
process.exit(0)
