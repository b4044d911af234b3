import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { addSweep } from '@ccm/http'

/**
 * Writes queue the people whose matching keys may have changed (migration 010); this sweep settles them
 * soon after the commit, a batch per transaction, until none is left. Instances take turns (an advisory
 * lock), and a shutdown stops between two batches, leaving the rest queued.
 */
export const matchKeysSweepPlugin = fp(
  async (app: FastifyInstance, options: { everyMs: number }) => {
    addSweep(app, {
      name: 'matching keys',
      everyMs: options.everyMs,
      run: (closing) => app.contacts.personRecordsService.settle(Infinity, closing),
    })
  },
  { name: 'contacts-match-keys-sweep', dependencies: ['contacts-domain'] },
)
