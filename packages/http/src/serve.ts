import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import type { Server } from 'node:http'
import { serveMetrics } from './metrics.ts'

/**
 * Listens, and on SIGINT/SIGTERM (or a crash) closes the app gracefully: stop accepting, drain the
 * requests in flight, then every plugin's onClose (consumers leave their groups, the outbox relay
 * flushes, pools close). A close that takes longer than `closeDelayMs` is cut short. Metrics are
 * served on 127.0.0.1:`metricsPort` (0: not at all).
 */
export async function serve(
  app: FastifyInstance,
  options: { host: string; port: number; metricsPort: number; closeDelayMs?: number },
): Promise<void> {
  let metrics: Server | null = null
  closeWithGrace({ delay: options.closeDelayMs ?? 15_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error')
    else app.log.info({ signal }, 'shutting down')
    metrics?.close()
    metrics?.closeAllConnections()
    await app.close()
  })
  await app.listen({ host: options.host, port: options.port })
  if (options.metricsPort !== 0) metrics = await serveMetrics(app, options.metricsPort)
}
