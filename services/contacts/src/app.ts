import { dbPlugin } from '@ccm/db'
import { eventsPlugin } from '@ccm/events'
import { createHttpApp, rateLimitPlugin, redisPlugin } from '@ccm/http'
import type { Config } from './config.ts'
import { domainPlugin } from './domain.ts'
import exportsRoutes from './routes/exports.ts'
import importsRoutes from './routes/imports.ts'
import interactionsRoutes from './routes/interactions.ts'
import organizationsRoutes from './routes/organizations.ts'
import peopleRoutes from './routes/people.ts'
import searchRoutes from './routes/search.ts'
import stateTimelineRoutes from './routes/state-timeline.ts'
import statesRoutes from './routes/states.ts'
import { matchKeysSweepPlugin } from './match-keys-sweep.ts'
import { withdrawalSweepPlugin } from './withdrawal-sweep.ts'

export async function buildApp(config: Readonly<Config>) {
  const app = await createHttpApp({
    name: 'contacts',
    config,
    description: 'States and their treaty status, organisations, people and the log of every contact with them.',
  })

  // Infrastructure
  await app.register(redisPlugin, { url: config.REDIS_URL })
  await app.register(rateLimitPlugin, { perMinute: config.RATE_LIMIT_PER_MINUTE })
  await app.register(dbPlugin, { connectionString: config.CONTACTS_DATABASE_URL, applicationName: 'contacts', config })
  await app.register(eventsPlugin, { service: 'contacts', connectionString: config.CONTACTS_DATABASE_URL, config })

  // Domain
  await app.register(domainPlugin, {
    imports: { maxRows: config.CONTACTS_IMPORT_MAX_ROWS, concurrency: config.CONTACTS_IMPORT_CONCURRENCY },
  })
  await app.register(withdrawalSweepPlugin, { everyMs: config.CONTACTS_WITHDRAWAL_SWEEP_MS })
  await app.register(matchKeysSweepPlugin, { everyMs: config.CONTACTS_MATCH_KEYS_SWEEP_MS })

  // Routes
  await app.register(statesRoutes)
  await app.register(stateTimelineRoutes)
  await app.register(organizationsRoutes)
  await app.register(peopleRoutes)
  await app.register(interactionsRoutes)
  await app.register(searchRoutes)
  await app.register(importsRoutes, { bodyLimit: config.CONTACTS_IMPORT_MAX_BYTES })
  await app.register(exportsRoutes)

  return app
}
