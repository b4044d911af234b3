import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { peopleHandlers } from './people.ts'
import { statesHandlers } from './states.ts'

/**
 * What meetings does with `contacts.events`: one file here per family of events it handles, each handler a call into
 * the domain. Idempotent (one processed-events row per event and group, in the handler's transaction), and the states
 * read model never takes an older snapshot over a newer one, so replaying the topic changes nothing.
 */
export const consumersPlugin = fp(
  async (app: FastifyInstance, options: { groupId: string }) => {
    app.events.consume({
      groupId: options.groupId,
      topics: ['contacts.events'],
      partitionsConsumedConcurrently: 3,
      handlers: {
        ...statesHandlers(app.meetings),
        ...peopleHandlers(app.meetings),
      },
    })
  },
  { name: 'meetings-consumers', dependencies: ['meetings-domain'] },
)
