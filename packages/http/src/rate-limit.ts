import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'

/**
 * A per-client limit on /v1, counted in Redis so every instance of a service shares it. A client is
 * its bearer token (so colleagues behind one office address do not throttle each other), else its address.
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance, options: { perMinute: number }) => {
    await app.register(rateLimit, {
      global: true,
      max: options.perMinute,
      timeWindow: '1 minute',
      redis: app.redis,
      nameSpace: 'ccm-rate-limit:',
      skipOnError: true, // a Redis outage must not take the API down with it
      allowList: (request) => !request.url.startsWith('/v1'),
      keyGenerator: (request) => {
        const auth = request.headers.authorization
        return auth ? createHash('sha256').update(auth).digest('base64url').slice(0, 22) : request.ip
      },
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: `Too many requests: at most ${context.max} a minute; try again in ${context.after}`,
      }),
    })
  },
  { name: 'ccm-rate-limit', dependencies: ['ccm-redis'] },
)
