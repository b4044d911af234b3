import type { FastifyInstance } from 'fastify'

export interface Sweep {
  /** Names the sweep in its log lines. */
  name: string
  everyMs: number
  /** Does one pass; returns how many things it changed. A long pass ends early once `closing` is aborted. */
  run: (closing: AbortSignal) => Promise<number>
}

/**
 * Work that falls due with time rather than with a request (an entry into force, a withdrawal taking
 * effect): run once the app is ready, then every `everyMs`, one pass at a time; a failed pass is logged
 * and the next tries again. Closing the app waits for the pass under way.
 */
export function addSweep(app: FastifyInstance, sweep: Sweep): void {
  let running: Promise<void> | null = null
  const closing = new AbortController()
  const pass = () => {
    running ??= sweep
      .run(closing.signal)
      .then((changed) => {
        if (changed) app.log.info({ sweep: sweep.name, changed }, `${sweep.name}: ${changed} changed`)
      })
      .catch((error) =>
        app.log.error({ err: error, sweep: sweep.name }, `${sweep.name} failed; the next pass tries again`),
      )
      .finally(() => {
        running = null
      })
  }
  let timer: NodeJS.Timeout | undefined
  app.addHook('onReady', async () => {
    pass()
    timer = setInterval(pass, sweep.everyMs).unref()
  })
  app.addHook('onClose', async () => {
    clearInterval(timer)
    closing.abort()
    await running
  })
}
