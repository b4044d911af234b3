import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { attendanceHandlers } from './attendance.ts'
import { interactionsHandlers } from './interactions.ts'
import { personErasedHandlers } from './person-erased.ts'
import { statesHandlers } from './states.ts'

/**
 * What campaigns does with `contacts.events` and `meetings.events`: one file here per family of events it handles, each
 * handler a call into the domain. The consumer is idempotent (one processed-events row per event and
 * group, in the handler's transaction) and the tables guard too (a transition per event and stage, a
 * milestone per campaign and instrument, a state record never replaced by an older event), so
 * replaying the topic changes nothing.
 */
export const consumersPlugin = fp(
  async (app: FastifyInstance, options: { groupId: string }) => {
    app.events.consume({
      groupId: options.groupId,
      topics: ['contacts.events', 'meetings.events'],
      // One partition's events stay in order (a state's treaty events share a key). Partitions are fetched
      // side by side and what they bring is applied together, one transaction at a time.
      partitionsConsumedConcurrently: 3,
      handlers: {
        ...statesHandlers(app.campaigns),
        ...interactionsHandlers(app.campaigns),
        ...personErasedHandlers(app.campaigns),
        ...attendanceHandlers(app.campaigns),
      },
    })
  },
  { name: 'campaigns-consumers', dependencies: ['campaigns-domain'] },
)
