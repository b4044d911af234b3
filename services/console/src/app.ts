import { fileURLToPath } from 'node:url'
import cookie from '@fastify/cookie'
import { allowsDevelopmentSecrets } from '@ccm/config'
import { dbPlugin } from '@ccm/db'
import { eventsPlugin } from '@ccm/events'
import { createHttpApp, redisPlugin } from '@ccm/http'
import type { Config } from './config.ts'
import { domainPlugin } from './domain.ts'
import { changesPlugin } from './live/changes.ts'
import appFilesRoutes from './routes/app-files.ts'
import liveRoutes from './routes/live.ts'
import proxyRoutes from './routes/proxy.ts'
import sessionRoutes from './routes/session.ts'
import usersRoutes from './routes/users.ts'
import { securityHeadersPlugin } from './security-headers.ts'
import { sessionGuardPlugin } from './session-guard.ts'

const defaultDist = fileURLToPath(new URL('../web/dist', import.meta.url))

export async function buildApp(config: Readonly<Config>) {
  const app = await createHttpApp({
    name: 'console',
    config,
    description: 'The staff console: sign-in, users, the app, and the services behind it for the signed-in user.',
  })
  // Outside development and test the console is served over https (behind a proxy that terminates TLS).
  const https = !allowsDevelopmentSecrets(config)

  // Infrastructure
  await app.register(securityHeadersPlugin, { https })
  await app.register(cookie)
  await app.register(redisPlugin, { url: config.REDIS_URL })
  await app.register(dbPlugin, { connectionString: config.CONSOLE_DATABASE_URL, applicationName: 'console', config })
  await app.register(eventsPlugin, { service: 'console', connectionString: config.CONSOLE_DATABASE_URL, config })

  // Domain
  await app.register(domainPlugin, { config })
  await app.register(sessionGuardPlugin)
  await app.register(changesPlugin, { topicPrefix: config.KAFKA_TOPIC_PREFIX })

  // Routes
  await app.register(sessionRoutes, { secureCookie: https })
  await app.register(usersRoutes)
  await app.register(liveRoutes, { heartbeatMs: config.CONSOLE_LIVE_HEARTBEAT_MS })
  for (const [name, url] of [
    ['contacts', config.CONTACTS_URL],
    ['campaigns', config.CAMPAIGNS_URL],
    ['social', config.SOCIAL_URL],
  ] as const) {
    await app.register(proxyRoutes, { service: { name, url } })
  }
  await app.register(appFilesRoutes, { dist: config.CONSOLE_WEB_DIST || defaultDist })

  return app
}
