import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { personErasedHandler } from './person-erased.ts'

/**
 * What campaigns does with `contacts.events`. The consumer is idempotent (one processed-events row
 * per event, in the handler's transaction) and the tables guard too (a transition per event and
 * stage, a milestone per campaign and instrument, a state record never replaced by an older event),
 * so replaying the topic changes nothing.
 */
export const consumersPlugin = fp(
  async (app: FastifyInstance, options: { groupId: string }) => {
    const { pipeline } = app.campaigns
    app.events.consume({
      groupId: options.groupId,
      topics: ['contacts.events'],
      // One partition's events stay in order (a state's treaty events share a key). Partitions are fetched
      // side by side and what they bring is applied together, one transaction at a time.
      partitionsConsumedConcurrently: 3,
      handlers: {
        'contacts.state.registered': (event, tx) => pipeline.applyStateRegistered(event, tx),
        'contacts.treaty_status.changed': (event, tx) => pipeline.applyTreatyChange(event, tx),
        'contacts.interaction.logged': (event, tx) => pipeline.applyInteraction(event, tx),
        'contacts.person.erased': personErasedHandler(app.campaigns),
      },
    })
  },
  { name: 'campaigns-consumers', dependencies: ['campaigns-domain'] },
)
