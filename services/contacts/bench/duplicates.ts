// GET /v1/people/duplicates over 100,000 people (2 % entered twice, 30,000 interactions) under a fixed
// concurrency, paging through the groups: p50/p95 latency (goal p95 < 200 ms), next to
// GET /v1/states/{iso3} (a primary-key lookup through the same stack) measured in the same run.
import { bearer } from '@ccm/testing'
import { readConfig } from '../src/config.ts'
import { generate, PEOPLE, SPRINKLED } from './duplicates-data.ts'
import { measureGets, median, startService, type Latency } from './support.ts'

const ROUNDS = 3
const SECONDS = 8
const CONNECTIONS = 8
const GOAL_P95_MS = 200

const started = Date.now()
const service = await startService(3913, generate)
try {
  const generatedIn = Date.now() - started
  const headers = { authorization: await bearer(readConfig(service.env), 'viewer', 'bench') }
  const first = (await (await fetch(`${service.url}/v1/people/duplicates?limit=1`, { headers })).json()) as {
    total: number
  }
  const dupPaths = [0, 50, 500, 1000, 1500].map((offset) => `/v1/people/duplicates?limit=50&offset=${offset}`)
  const statePaths = ['KEN', 'CIV', 'CHE', 'FRA', 'BRA', 'JPN'].map((iso3) => `/v1/states/${iso3}`)
  // Warm the caches and the JIT.
  await measureGets(service.url, headers, dupPaths, { connections: CONNECTIONS, seconds: SECONDS })
  const listing: Latency[] = []
  const baseline: Latency[] = []
  for (let round = 0; round < ROUNDS; round++) {
    baseline.push(await measureGets(service.url, headers, statePaths, { connections: CONNECTIONS, seconds: SECONDS }))
    listing.push(await measureGets(service.url, headers, dupPaths, { connections: CONNECTIONS, seconds: SECONDS }))
  }
  const p50 = median(listing.map((r) => r.p50))
  const p95 = median(listing.map((r) => r.p95))
  const baseP95 = median(baseline.map((r) => r.p95))
  console.log(
    [
      '',
      `duplicates: GET /v1/people/duplicates?limit=50 over ${PEOPLE.toLocaleString('en')} people ` +
        `(${SPRINKLED.toLocaleString('en')} entered twice), ${first.total} groups; pages at 5 offsets in turn`,
      `        ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s ` +
        `(medians; data generated in ${(generatedIn / 1000).toFixed(1)} s)`,
      `  listing   p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  ` +
        `${median(listing.map((r) => r.rps)).toFixed(0)} req/s  ` +
        `(p95 by round: ${listing.map((r) => r.p95.toFixed(1)).join(', ')})`,
      `  baseline  p50 ${median(baseline.map((r) => r.p50)).toFixed(1)} ms  p95 ${baseP95.toFixed(1)} ms  ` +
        `${median(baseline.map((r) => r.rps)).toFixed(0)} req/s  GET /v1/states/{iso3}, same stack`,
      `  ratio     listing p95 / baseline p95 = ${(p95 / baseP95).toFixed(1)}`,
      `  goal      p95 < ${GOAL_P95_MS} ms  ${p95 < GOAL_P95_MS ? 'met' : 'NOT met'}`,
    ].join('\n'),
  )
} finally {
  await service.stop()
}
