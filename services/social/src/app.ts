import { dbPlugin } from '@ccm/db'
import { eventsPlugin } from '@ccm/events'
import { createHttpApp, rateLimitPlugin, redisPlugin } from '@ccm/http'
import type { Config } from './config.ts'
import { consumersPlugin } from './consumers/index.ts'
import { domainPlugin } from './domain.ts'
import calendarRoutes from './routes/calendar.ts'
import channelsRoutes from './routes/channels.ts'
import mediaRoutes from './routes/media.ts'
import postsRoutes from './routes/posts.ts'

export async function buildApp(config: Readonly<Config>) {
  const app = await createHttpApp({
    name: 'social',
    config,
    description:
      'Approved posts to X and Facebook Pages: written, approved by a second person, published on time and never ' +
      'twice.',
  })

  // Infrastructure
  await app.register(redisPlugin, { url: config.REDIS_URL })
  await app.register(rateLimitPlugin, { perMinute: config.RATE_LIMIT_PER_MINUTE })
  // Enough connections for the publishing concurrency plus the API.
  await app.register(dbPlugin, {
    connectionString: config.SOCIAL_DATABASE_URL,
    applicationName: 'social',
    config,
    extraConnections: config.SOCIAL_PUBLISH_CONCURRENCY,
  })
  await app.register(eventsPlugin, { service: 'social', connectionString: config.SOCIAL_DATABASE_URL, config })

  // Domain
  await app.register(domainPlugin, { config })
  // The group is `<topic prefix><service>` (`social` in production), so test runs with topics of their own never share
  // one.
  await app.register(consumersPlugin, { groupId: `${config.KAFKA_TOPIC_PREFIX}social` })

  // Routes
  await app.register(channelsRoutes)
  await app.register(mediaRoutes)
  await app.register(postsRoutes)
  await app.register(calendarRoutes)

  return app
}
