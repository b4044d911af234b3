// GET /v1/states/{iso3} throughput against a bare Fastify + pg lookup measured in the same run
// (goal: at least 0.7 of it), and the service's resident memory idle and under that load
// (goals: under 150 MB idle, under 300 MB loaded). Both servers run as separate processes.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'
import { bearer, createTestDatabase, uniqueTopicPrefix } from '@ccm/testing'
import { createPool } from '@ccm/db'
import { readConfig } from '../src/config.ts'
import { migrations } from '../src/migrations.ts'
import { seedStates } from '../src/services/seed.ts'

// Short alternating rounds: a shared machine's noise then falls on both sides alike.
const ROUNDS = 7
const SECONDS = 4
const CONNECTIONS = 16
const serviceDir = new URL('..', import.meta.url).pathname

function start(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(command, args, { cwd: serviceDir, env, stdio: ['ignore', 'ignore', 'inherit'] })
}

async function ready(url: string) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).status < 500) return
    } catch {}
    await sleep(100)
  }
  throw new Error(`${url} did not answer`)
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024
}

async function load(url: string, headers: Record<string, string>) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers })
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  return result.requests.average
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const database = await createTestDatabase('ccm_contacts_bench', migrations)
const seedDb = createPool(database.url, { max: 1 })
await seedStates(seedDb)
await seedDb.end()

const env = {
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  CONTACTS_PORT: '3901',
  CONTACTS_DATABASE_URL: database.url,
  KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
  RATE_LIMIT_PER_MINUTE: process.env.BENCH_RATE_LIMIT ?? '100000000',
}
// The service as npm start runs it; the baseline with the same runtime flags.
const service = start('bash', ['../../scripts/service.sh', 'contacts'], env)
const baseline = start(
  process.execPath,
  ['--max-semi-space-size=4', '--import', 'tsx', 'bench/baseline-server.ts', '3902', database.url],
  env,
)
try {
  await ready('http://127.0.0.1:3901/readyz')
  await ready('http://127.0.0.1:3902/states/KEN')
  await sleep(2000)
  const idleMb = await rssMb(service.pid!)
  const headers = { authorization: await bearer(readConfig(env), 'viewer', 'bench') }

  const serviceRps: number[] = []
  const baselineRps: number[] = []
  let loadedMb = 0
  for (let round = 0; round < ROUNDS; round++) {
    baselineRps.push(await load('http://127.0.0.1:3902/states/KEN', {}))
    const sampler = setInterval(async () => {
      loadedMb = Math.max(loadedMb, await rssMb(service.pid!))
    }, 250)
    serviceRps.push(await load('http://127.0.0.1:3901/v1/states/KEN', headers))
    clearInterval(sampler)
  }
  // The median of each round's ratio: each pair ran back to back under the same conditions.
  const ratio = median(serviceRps.map((rps, i) => rps / baselineRps[i]!))
  console.log(
    [
      '',
      `states: GET /v1/states/{iso3}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s (medians)`,
      `  service   ${median(serviceRps).toFixed(0)} req/s   ` +
        `(rounds: ${serviceRps.map((r) => r.toFixed(0)).join(', ')})`,
      `  baseline  ${median(baselineRps).toFixed(0)} req/s   bare Fastify + pg ` +
        `(rounds: ${baselineRps.map((r) => r.toFixed(0)).join(', ')})`,
      `  ratio     ${ratio.toFixed(2)}   (median of the rounds' ratios)   ` +
        `goal >= 0.70  ${ratio >= 0.7 ? 'met' : 'NOT met'}`,
      `  memory    ${idleMb.toFixed(0)} MB idle (goal < 150), ${loadedMb.toFixed(0)} MB peak under load (goal < 300)`,
    ].join('\n'),
  )
} finally {
  service.kill('SIGTERM')
  baseline.kill('SIGTERM')
  await Promise.all([service, baseline].map((p) => new Promise((resolve) => p.once('exit', resolve))))
  await database.drop()
}
