import { dbPlugin } from '@ccm/db'
import { eventsPlugin } from '@ccm/events'
import { createHttpApp, rateLimitPlugin, redisPlugin } from '@ccm/http'
import type { Config } from './config.ts'
import { consumersPlugin } from './consumers/index.ts'
import { domainPlugin } from './domain.ts'
import campaignsRoutes from './routes/campaigns.ts'
import progressRoutes from './routes/progress.ts'
import reportsRoutes from './routes/reports.ts'
import targetsRoutes from './routes/targets.ts'
import tasksRoutes from './routes/tasks.ts'
import { inForceSweepPlugin } from './in-force-sweep.ts'

export async function buildApp(config: Readonly<Config>) {
  const app = await createHttpApp({
    name: 'campaigns',
    config,
    description: [
      'Universalization and reporting campaigns: target states, their stage in the pipeline, tasks, progress and',
      'Article 7 reports. No call is ever made to the contacts service. Its `contacts.events` topic is the only',
      'source of what this service knows about states and interactions: the states read model is built from',
      '`contacts.state.registered` (one full snapshot per state, emitted when the contacts registry is seeded; this',
      'service reads the topic from the beginning) and kept current by `contacts.treaty_status.changed`.',
      '`contacts.interaction.logged` records last contacts and moves targets; `contacts.person.erased` removes the',
      'person ids held here. `joined` targets move to `in_force` when the treaty event arrives after the entry into',
      'force, and otherwise by a sweep run at start-up and every `CAMPAIGNS_IN_FORCE_SWEEP_MS`.',
    ].join(' '),
  })

  // Infrastructure
  await app.register(redisPlugin, { url: config.REDIS_URL })
  await app.register(rateLimitPlugin, { perMinute: config.RATE_LIMIT_PER_MINUTE })
  await app.register(dbPlugin, {
    connectionString: config.CAMPAIGNS_DATABASE_URL,
    applicationName: 'campaigns',
    config,
  })
  await app.register(eventsPlugin, { service: 'campaigns', connectionString: config.CAMPAIGNS_DATABASE_URL, config })

  // Domain
  await app.register(domainPlugin)
  // The group is `<topic prefix><service>` (`campaigns` in production), so test runs with topics of their own never
  // share one.
  await app.register(consumersPlugin, { groupId: `${config.KAFKA_TOPIC_PREFIX}campaigns` })
  await app.register(inForceSweepPlugin, { everyMs: config.CAMPAIGNS_IN_FORCE_SWEEP_MS })

  // Routes
  await app.register(campaignsRoutes)
  await app.register(targetsRoutes)
  await app.register(progressRoutes)
  await app.register(tasksRoutes)
  await app.register(reportsRoutes)

  return app
}
