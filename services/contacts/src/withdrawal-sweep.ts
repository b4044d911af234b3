import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { addSweep } from '@ccm/http'

/**
 * A withdrawal takes effect six months after the notice (Art. 20(3)), with no instrument of its own on
 * that day: pending withdrawals whose day has come are switched to `withdrawn`. Only one instance's sweep
 * takes a state (SKIP LOCKED); each switch is recorded in the state's history, audited and published
 * like any other step.
 */
export const withdrawalSweepPlugin = fp(
  async (app: FastifyInstance, options: { everyMs: number }) => {
    addSweep(app, {
      name: 'withdrawal sweep',
      everyMs: options.everyMs,
      run: () => app.contacts.statesService.sweepWithdrawals(),
    })
  },
  { name: 'contacts-withdrawal-sweep', dependencies: ['contacts-domain'] },
)
