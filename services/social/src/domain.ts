import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Logger } from 'pino'
import { credentialsKeysOf, type Config } from './config.ts'
import { createFacebookClient } from './platforms/facebook.ts'
import { createXClient } from './platforms/x.ts'
import { createChannelsRepository } from './repositories/channels.ts'
import { createDeliveriesRepository } from './repositories/deliveries.ts'
import { createInstanceLocksRepository } from './repositories/instance-locks.ts'
import { createMediaRepository } from './repositories/media.ts'
import { createPostsRepository } from './repositories/posts.ts'
import { createAnnouncer } from './services/announcements.ts'
import { createChannelsService } from './services/channels.ts'
import { createSealer } from './services/crypto.ts'
import { createPostLifecycle } from './services/lifecycle.ts'
import { createPostsService } from './services/posts.ts'
import { createPublisher } from './services/publisher.ts'
import { createScheduler } from './services/scheduler.ts'
import { createTimerIndex, type Timer } from './services/timers.ts'

function createDomain(app: FastifyInstance, config: Readonly<Config>) {
  const log = app.log as unknown as Logger
  const { keys, isDevelopmentDefault } = credentialsKeysOf(config)
  if (isDevelopmentDefault && config.NODE_ENV !== 'test') {
    log.warn(
      'SOCIAL_CREDENTIALS_KEYS is not set: channel credentials are encrypted with the public development key. Never ' +
        'run like this in production.',
    )
  }
  const sealer = createSealer(keys)
  const channels = createChannelsRepository(app.db)
  const posts = createPostsRepository(app.db)
  const deliveries = createDeliveriesRepository(app.db)
  const media = createMediaRepository(app.db)
  const lifecycle = createPostLifecycle({ posts, deliveries })
  const x = createXClient({ baseUrl: config.X_API_BASE_URL, timeoutMs: config.SOCIAL_PUBLISH_TIMEOUT_MS })
  const facebook = createFacebookClient({
    baseUrl: config.FACEBOOK_GRAPH_BASE_URL,
    version: config.FACEBOOK_GRAPH_VERSION,
    timeoutMs: config.SOCIAL_PUBLISH_TIMEOUT_MS,
  })
  // One index per database, so services (and test runs) sharing a Redis never see each other's timers.
  const timers = createTimerIndex(app.redis, new URL(config.SOCIAL_DATABASE_URL).pathname.slice(1))

  let scheduler: ReturnType<typeof createScheduler> | null = null
  const schedule = async (list: Timer[]) => {
    if (scheduler) return scheduler.schedule(list)
    await timers
      .add(list)
      .catch((error) => log.warn({ err: error }, 'timer index unavailable; the Postgres sweep will pick these up'))
  }

  const channelsService = createChannelsService({
    db: app.db,
    events: app.events,
    channels,
    sealer,
    x,
    onReauthorised: async (channelId) => schedule(await deliveries.timersOfChannel(channelId)),
  })
  const postsService = createPostsService({
    db: app.db,
    events: app.events,
    posts,
    deliveries,
    channels,
    media,
    lifecycle,
    schedule,
  })
  const publisher = createPublisher({
    events: app.events,
    posts,
    deliveries,
    channels,
    media,
    channelsService,
    lifecycle,
    x,
    facebook,
    log: log.child({ component: 'publisher' }),
    reschedule: schedule,
  })
  if (config.SOCIAL_SCHEDULER_ENABLED) {
    scheduler = createScheduler({
      events: app.events,
      locks: createInstanceLocksRepository(app.db, config.SOCIAL_DATABASE_URL),
      timers,
      deliveries,
      posts,
      lifecycle,
      publisher,
      log: log.child({ component: 'scheduler' }),
      concurrency: config.SOCIAL_PUBLISH_CONCURRENCY,
      sweepMs: config.SOCIAL_SWEEP_MS,
      missedAfterMinutes: config.SOCIAL_MISSED_AFTER_MINUTES,
    })
  }
  const announcer = createAnnouncer({ channels, postsService })
  return {
    channels,
    posts,
    deliveries,
    media,
    lifecycle,
    channelsService,
    postsService,
    announcer,
    publisher,
    scheduler,
    timers,
  }
}

export type SocialDomain = ReturnType<typeof createDomain>

declare module 'fastify' {
  interface FastifyInstance {
    social: SocialDomain
  }
}

/**
 * Repositories, services and the scheduler, built once over the infrastructure and shared by the routes and consumers.
 */
export const domainPlugin = fp(
  async (app: FastifyInstance, options: { config: Readonly<Config> }) => {
    const domain = createDomain(app, options.config)
    app.decorate('social', domain)
    app.addHook('onReady', async () => {
      await domain.scheduler?.start()
    })
    app.addHook('onClose', async () => {
      await domain.scheduler?.stop()
    })
  },
  { name: 'social-domain', dependencies: ['ccm-db', 'ccm-events', 'ccm-redis'] },
)
