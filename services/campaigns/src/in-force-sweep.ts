import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { addSweep } from '@ccm/http'

/**
 * Entry into force comes months after a deposit, with no event of its own: `joined` targets are moved
 * to `in_force`. Only one instance's sweep takes a row (SKIP LOCKED), and each move is recorded like
 * any other.
 */
export const inForceSweepPlugin = fp(
  async (app: FastifyInstance, options: { everyMs: number }) => {
    addSweep(app, {
      name: 'in-force sweep',
      everyMs: options.everyMs,
      run: () => app.campaigns.pipeline.sweepInForce(),
    })
  },
  { name: 'campaigns-in-force-sweep', dependencies: ['campaigns-domain'] },
)
