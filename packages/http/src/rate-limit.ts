import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import { isApiRoute } from './auth.ts'
import { BatchedRedisStore } from './rate-limit-store.ts'

const WINDOW_MS = 60_000

/**
 * A per-client limit on /v1, counted in Redis so every instance of a service shares it. A client is
 * the person the token names (so colleagues behind one office address do not throttle each other);
 * the limit runs after authentication, so only authenticated requests reach it. Like auth, it goes by
 * the route matched, so another spelling of a /v1 path is counted too.
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance, options: { perMinute: number }) => {
    if (options.perMinute === 0) return
    const store = new BatchedRedisStore(app.redis, 'ccm-rate-limit:')
    await app.register(rateLimit, {
      global: true,
      max: options.perMinute,
      timeWindow: WINDOW_MS,
      // The plugin calls `new store(options)`, which returns the one batched store; its type asks for a class.
      store: function () {
        return store
      } as never,
      skipOnError: true, // a Redis outage must not take the API down with it
      allowList: (request) => !isApiRoute(request),
      keyGenerator: (request) => (request.principal ? `sub:${request.principal.sub}` : `ip:${request.ip}`),
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: `Too many requests: at most ${context.max} a minute; try again in ${context.after}`,
      }),
    })
    // Runs before the Redis connection closes (hooks close in reverse order of registration).
    app.addHook('onClose', async () => {
      store.close()
      await store.flush(WINDOW_MS)
    })
  },
  { name: 'ccm-rate-limit', dependencies: ['ccm-redis'] },
)
