import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Entry into force comes months after a deposit, with no event of its own: `joined` targets are moved
 * to `in_force` once at start-up and then every `everyMs`. Only one instance's sweep takes a row
 * (SKIP LOCKED), and each move is recorded like any other.
 */
export const inForceSweepPlugin = fp(
  async (app: FastifyInstance, options: { everyMs: number }) => {
    let running: Promise<unknown> = Promise.resolve()
    const sweep = () => {
      running = app.campaigns.pipeline.sweepInForce()
        .then((moved) => { if (moved) app.log.info({ moved }, 'targets moved to in_force') })
        .catch((error) => app.log.error({ err: error }, 'in-force sweep failed; will try again'))
    }
    let timer: NodeJS.Timeout | undefined
    app.addHook('onReady', async () => {
      sweep()
      timer = setInterval(sweep, options.everyMs).unref()
    })
    app.addHook('onClose', async () => {
      clearInterval(timer)
      await running
    })
  },
  { name: 'campaigns-in-force-sweep', dependencies: ['campaigns-domain'] },
)
