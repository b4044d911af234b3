import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry
  }
}

/**
 * Prometheus metrics (process defaults, request durations per route), served by serveMetrics.
 * Not fastify-metrics: keeping it off the public port, prom-client's global registry and its summary
 * takes more lines of options than this hook, and its two hooks per request time what reply.elapsedTime has.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, options: { service: string }) => {
    const registry = new Registry()
    registry.setDefaultLabels({ service: options.service })
    collectDefaultMetrics({ register: registry })
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    })
    app.decorate('metrics', registry)
    app.addHook('onResponse', (request, reply, done) => {
      duration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      )
      done()
    })
  },
  { name: 'ccm-metrics' },
)

/**
 * Serves GET /metrics on 127.0.0.1:`port`, apart from the API: a scraper on the host reaches it,
 * nobody else (the public port needs no token for what is not /v1, and metrics tell what happens).
 * Metrics are not worth the API: a port already taken is logged and the service goes on without.
 */
export async function serveMetrics(app: FastifyInstance, port: number): Promise<Server | null> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404).end()
      return
    }
    app.metrics.metrics().then(
      (text) => response.writeHead(200, { 'content-type': app.metrics.contentType }).end(text),
      (error: Error) => {
        app.log.error({ err: error }, 'metrics failed')
        response.writeHead(500).end()
      },
    )
  })
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', resolve)
    })
  } catch (error) {
    app.log.error({ err: error, port }, 'metrics are not served: their port is unavailable')
    return null
  }
  app.log.info({ port: (server.address() as AddressInfo).port }, 'metrics served on 127.0.0.1')
  return server
}
