import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * A withdrawal takes effect six months after the notice (Art. 20(3)), with no instrument of its own on
 * that day: pending withdrawals whose day has come are switched to `withdrawn` once at start-up and then
 * every `everyMs`. Only one instance's sweep takes a state (SKIP LOCKED); each switch is recorded in the
 * state's history, audited and published like any other step.
 */
export const withdrawalSweepPlugin = fp(
  async (app: FastifyInstance, options: { everyMs: number }) => {
    let running: Promise<unknown> = Promise.resolve()
    const sweep = () => {
      running = app.contacts.statesService.sweepWithdrawals()
        .then((switched) => { if (switched) app.log.info({ switched }, 'withdrawals took effect') })
        .catch((error) => app.log.error({ err: error }, 'withdrawal sweep failed; will try again'))
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
  { name: 'contacts-withdrawal-sweep', dependencies: ['contacts-domain'] },
)
