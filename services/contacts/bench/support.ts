// What the contacts benches share: a service process of their own, waiting for it, and statistics.
import { spawn, type ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'
import { createTestDatabase, uniqueTopicPrefix, type TestDatabase } from '@ccm/testing'
import { createPool, type Db } from '@ccm/db'
import { migrations } from '../src/migrations.ts'
import { seedStates } from '../src/services/seed.ts'

const serviceDir = new URL('..', import.meta.url).pathname

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** The value below which `p` of the sorted samples fall (nearest rank). */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!
}

export interface Latency {
  p50: number
  p95: number
  rps: number
}

/** GETs `paths` in turn for `seconds` over `connections` connections; refuses to report a run with a failed request. */
export async function measureGets(
  url: string,
  headers: Record<string, string>,
  paths: string[],
  load: { connections: number; seconds: number },
): Promise<Latency> {
  const latencies: number[] = []
  const instance = autocannon({
    url,
    connections: load.connections,
    duration: load.seconds,
    headers,
    requests: paths.map((path) => ({ method: 'GET', path })),
  })
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms))
  const result = await instance
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${paths[0]}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  latencies.sort((a, b) => a - b)
  return { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), rps: result.requests.average }
}

export interface BenchService {
  url: string
  /** The service process's event-loop delays since the last reset (with `watchEventLoop`). */
  loopDelay: { reset(): void; read(): Promise<{ maxMs: number; p99Ms: number; meanMs: number }> }
  env: NodeJS.ProcessEnv
  database: TestDatabase
  db: Db
  stop(): Promise<void>
}

/**
 * A migrated, seeded database of the bench's own, and the service running on it as a separate process;
 * with `watchEventLoop`, that process measures its event-loop delays (loop-delay.ts) for the bench to read.
 */
export async function startService(
  port: number,
  prepare: (db: Db) => Promise<void>,
  options: { watchEventLoop?: boolean } = {},
): Promise<BenchService> {
  const database = await createTestDatabase('ccm_contacts_bench', migrations)
  const db = createPool(database.url, { max: 4 })
  await seedStates(db)
  await prepare(db)
  // The data's matching keys are settled before the service starts, as they are long after any write: the
  // benches measure a service at rest, not its sweep still working through 100,000 people.
  while ((await db.query(`SELECT settle_match_keys(500) AS n`)).rows[0].n > 0);
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    CONTACTS_PORT: String(port),
    CONTACTS_DATABASE_URL: database.url,
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    RATE_LIMIT_PER_MINUTE: '100000000',
  }
  const hook = options.watchEventLoop ? ['--import', './bench/loop-delay.ts'] : []
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...hook, 'src/server.ts'], {
    cwd: serviceDir,
    env,
    stdio: ['ignore', 'ignore', 'inherit', ...(options.watchEventLoop ? ['ipc' as const] : [])],
  })
  const loopDelay = {
    reset: () => child.send?.('reset'),
    read: () =>
      new Promise<{ maxMs: number; p99Ms: number; meanMs: number }>((resolve) => {
        child.once('message', (m) => resolve(m as { maxMs: number; p99Ms: number; meanMs: number }))
        child.send?.('read')
      }),
  }
  const url = `http://127.0.0.1:${port}`
  try {
    await ready(`${url}/readyz`)
  } catch (error) {
    child.kill('SIGTERM')
    throw error
  }
  return {
    url,
    env,
    database,
    db,
    loopDelay,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      await db.end()
      await database.drop()
    },
  }
}

async function ready(url: string) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).status < 500) return
    } catch {}
    await sleep(100)
  }
  throw new Error(`${url} did not answer`)
}
