// `npm run openapi -- <service> <file>`: writes the service's OpenAPI document to <file>, exactly as it
// serves it at /docs/json. The document comes from the real app, built as the tests build it (a
// throwaway database, topics of its own), so what is linted is what is served. One service per
// process: zod's schema registry is global, and would mix the services' components.
import { writeFileSync } from 'node:fs'
import { createTestDatabase, testEnv } from '@ccm/testing'

const [name, file] = process.argv.slice(2)
if (!['contacts', 'campaigns', 'social', 'meetings'].includes(name ?? '') || !file) {
  console.error('usage: npm run openapi -- contacts|campaigns|social|meetings <file>')
  process.exit(2)
}
const root = `../services/${name}/src`
const { buildApp } = await import(`${root}/app.ts`)
const { readConfig } = await import(`${root}/config.ts`)
const { migrations } = await import(`${root}/migrations.ts`)

const database = await createTestDatabase(`ccm_${name}`, migrations)
try {
  const app = await buildApp(readConfig(testEnv({ [`${name!.toUpperCase()}_DATABASE_URL`]: database.url })))
  try {
    await app.ready()
    // Indented, so the line of each problem redocly reports points somewhere readable.
    writeFileSync(file, JSON.stringify((await app.inject({ method: 'GET', url: '/docs/json' })).json(), null, 2))
  } finally {
    await app.close()
  }
} finally {
  await database.drop()
}
