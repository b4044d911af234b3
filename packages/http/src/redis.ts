import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import { unreachable } from '@ccm/config'

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis
  }
}

/** One ioredis connection per service, checked at start-up so a missing Redis is named, not hung on. */
export const redisPlugin = fp(
  async (app: FastifyInstance, options: { url: string }) => {
    const redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false })
    redis.on('error', (error) => app.log.warn({ err: error }, 'redis connection error'))
    try {
      await redis.connect()
    } catch (error) {
      redis.disconnect()
      throw unreachable('Redis', options.url, error)
    }
    app.decorate('redis', redis)
    app.readinessChecks.set('redis', () => redis.ping())
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect())
    })
  },
  { name: 'ccm-redis', dependencies: ['ccm-health'] },
)
