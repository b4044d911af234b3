import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { z } from 'zod'

export type ReadinessCheck = () => Promise<unknown>

declare module 'fastify' {
  interface FastifyInstance {
    /** Infrastructure plugins add the connections they hold; /readyz checks them all. */
    readinessChecks: Map<string, ReadinessCheck>
  }
}

const CHECK_TIMEOUT_MS = 2000

/**
 * 'ok' or 'down'. /readyz needs no token, so the reason (an error's text names hosts, users and
 * databases) goes to the log only.
 */
async function probe(name: string, check: ReadinessCheck, log: FastifyBaseLogger): Promise<'ok' | 'down'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)
  })
  try {
    await Promise.race([check(), timeout])
    return 'ok'
  } catch (error) {
    log.warn({ err: error, dependency: name }, `readiness: ${name} is down`)
    return 'down'
  } finally {
    clearTimeout(timer)
  }
}

const healthSchema = z.object({ status: z.string(), checks: z.record(z.string(), z.enum(['ok', 'down'])).optional() })

// Not @fastify/under-pressure: its status route answers one health check with a bare 503, naming no dependency,
// and the overload we shed is a wait for a pool connection (packages/db), not event-loop delay or memory.
export const healthPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('readinessChecks', new Map<string, ReadinessCheck>())

    // Probes for orchestrators, like /metrics: not part of the API a client is generated from.
    app.get(
      '/healthz',
      {
        schema: { hide: true, summary: 'The process is alive', security: [], response: { 200: healthSchema } },
        logLevel: 'warn',
      },
      async () => ({ status: 'ok' }),
    )

    app.get(
      '/readyz',
      {
        schema: {
          hide: true,
          summary: 'Postgres, Redis and Kafka, as this service uses them, all answer',
          security: [],
          response: { 200: healthSchema, 503: healthSchema },
        },
        logLevel: 'warn',
      },
      async (request, reply) => {
        const names = [...app.readinessChecks.keys()]
        const results = await Promise.all(names.map((name) => probe(name, app.readinessChecks.get(name)!, request.log)))
        const checks = Object.fromEntries(names.map((name, i) => [name, results[i]!]))
        const ready = results.every((r) => r === 'ok')
        return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks })
      },
    )
  },
  { name: 'ccm-health' },
)
