import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { milestonesHandlers } from './milestones.ts'

/**
 * What social does with `campaigns.events`: one file here per family of events it handles, each
 * handler a call into the domain. The consumer is idempotent (one processed-events row per event and
 * group, in the handler's transaction), and a post is unique per milestone event, so replaying the
 * topic changes nothing.
 */
export const consumersPlugin = fp(
  async (app: FastifyInstance, options: { groupId: string }) => {
    app.events.consume({
      groupId: options.groupId,
      topics: ['campaigns.events'],
      handlers: {
        ...milestonesHandlers(app.social),
      },
    })
  },
  { name: 'social-consumers', dependencies: ['social-domain'] },
)
