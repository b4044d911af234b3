import { dbPlugin } from '@ccm/db'
import { eventsPlugin } from '@ccm/events'
import { createHttpApp, rateLimitPlugin, redisPlugin } from '@ccm/http'
import type { Config } from './config.ts'
import { consumersPlugin } from './consumers/index.ts'
import { domainPlugin } from './domain.ts'
import delegationsRoutes from './routes/delegations.ts'
import documentsRoutes from './routes/documents.ts'
import meetingsRoutes from './routes/meetings.ts'
import sponsorshipRoutes from './routes/sponsorship.ts'
import timelinesRoutes from './routes/timelines.ts'

export async function buildApp(config: Readonly<Config>) {
  const app = await createHttpApp({
    name: 'meetings',
    config,
    description: [
      'Formal and informal meetings under the Convention: their documents, delegations and participants, attendance,',
      'and the Sponsorship Programme. A state delegation’s capacity comes from the state’s treaty status on the',
      'meeting’s first day, read from a states read model built from `contacts.events` (`contacts.state.registered`,',
      '`contacts.treaty_status.changed`); no call is ever made to contacts. `contacts.person.merged` moves person ids,',
      '`contacts.person.erased` removes the person’s records. Emits `meetings.events`.',
    ].join(' '),
  })

  // Infrastructure
  await app.register(redisPlugin, { url: config.REDIS_URL })
  await app.register(rateLimitPlugin, { perMinute: config.RATE_LIMIT_PER_MINUTE })
  await app.register(dbPlugin, { connectionString: config.MEETINGS_DATABASE_URL, applicationName: 'meetings', config })
  await app.register(eventsPlugin, { service: 'meetings', connectionString: config.MEETINGS_DATABASE_URL, config })

  // Domain
  await app.register(domainPlugin)
  // The group is `<topic prefix>meetings` (`meetings` in production), so test runs with topics of their own never
  // share one.
  await app.register(consumersPlugin, { groupId: `${config.KAFKA_TOPIC_PREFIX}meetings` })

  // Routes
  await app.register(meetingsRoutes)
  await app.register(documentsRoutes)
  await app.register(delegationsRoutes)
  await app.register(sponsorshipRoutes)
  await app.register(timelinesRoutes)

  return app
}
