// GET /v1/search over 100,000 people (and their organisations and the 197 states) under a fixed
// concurrency: p50/p95 latency (goal p95 <= 25 ms), next to GET /v1/states/{iso3} (a primary-key
// lookup through the same stack) measured in the same run as the baseline.
import { bearer } from '@ccm/testing'
import { readConfig } from '../src/config.ts'
import { generate, PEOPLE } from './search-data.ts'
import { measureGets, median, startService, type Latency } from './support.ts'

const ROUNDS = 3
const SECONDS = 8
const CONNECTIONS = 8
const GOAL_P95_MS = 25

/** What people type: whole names, a typo, no accents, unfinished words, several words, states. */
const queries = [
  'muller',
  'Kenia',
  'cote d ivoire',
  'garcia lopez',
  'mül',
  'ngu',
  'permanent mission ken',
  'okafor',
  'johanson',
  'dupont marie',
  'switz',
  'nakamura',
]

const started = Date.now()
const service = await startService(3911, generate)
try {
  const generatedIn = Date.now() - started
  const headers = { authorization: await bearer(readConfig(service.env), 'viewer', 'bench') }
  const searchPaths = queries.map((q) => `/v1/search?q=${encodeURIComponent(q)}&limit=20`)
  const statePaths = ['KEN', 'CIV', 'CHE', 'FRA', 'BRA', 'JPN'].map((iso3) => `/v1/states/${iso3}`)
  // Warm the caches and the JIT.
  await measureGets(service.url, headers, searchPaths, { connections: CONNECTIONS, seconds: SECONDS })
  const search: Latency[] = []
  const baseline: Latency[] = []
  for (let round = 0; round < ROUNDS; round++) {
    baseline.push(await measureGets(service.url, headers, statePaths, { connections: CONNECTIONS, seconds: SECONDS }))
    search.push(await measureGets(service.url, headers, searchPaths, { connections: CONNECTIONS, seconds: SECONDS }))
  }
  const p50 = median(search.map((r) => r.p50))
  const p95 = median(search.map((r) => r.p95))
  const baseP95 = median(baseline.map((r) => r.p95))
  console.log(
    [
      '',
      `search: GET /v1/search over ${PEOPLE.toLocaleString('en')} people, 300 organisations, 197 states; ` +
        `${queries.length} queries in turn`,
      `        ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s ` +
        `(medians; data generated in ${(generatedIn / 1000).toFixed(1)} s)`,
      `  search    p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  ` +
        `${median(search.map((r) => r.rps)).toFixed(0)} req/s  ` +
        `(p95 by round: ${search.map((r) => r.p95.toFixed(1)).join(', ')})`,
      `  baseline  p50 ${median(baseline.map((r) => r.p50)).toFixed(1)} ms  p95 ${baseP95.toFixed(1)} ms  ` +
        `${median(baseline.map((r) => r.rps)).toFixed(0)} req/s  GET /v1/states/{iso3}, same stack`,
      `  ratio     search p95 / baseline p95 = ${(p95 / baseP95).toFixed(1)}`,
      `  goal      p95 <= ${GOAL_P95_MS} ms  ${p95 <= GOAL_P95_MS ? 'met' : 'NOT met'}`,
    ].join('\n'),
  )
} finally {
  await service.stop()
}
