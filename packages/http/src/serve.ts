import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'

/**
 * Listens, and on SIGINT/SIGTERM (or a crash) closes the app gracefully: stop accepting, drain the
 * requests in flight, then every plugin's onClose (consumers leave their groups, the outbox relay
 * flushes, pools close). A close that takes longer than `closeDelayMs` is cut short.
 */
export async function serve(app: FastifyInstance, options: { host: string; port: number; closeDelayMs?: number }): Promise<void> {
  closeWithGrace({ delay: options.closeDelayMs ?? 15_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  await app.listen({ host: options.host, port: options.port })
}
