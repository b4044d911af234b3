import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createStatesRepository } from './repositories/states.ts'
import { createStatesService } from './services/states.ts'

function createDomain(app: FastifyInstance) {
  const states = createStatesRepository(app.db)
  return {
    states,
    statesService: createStatesService({ db: app.db, states, events: app.events }),
  }
}

export type ContactsDomain = ReturnType<typeof createDomain>

declare module 'fastify' {
  interface FastifyInstance {
    contacts: ContactsDomain
  }
}

/** Repositories and services, built once over the infrastructure and shared by the routes and consumers. */
export const domainPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('contacts', createDomain(app))
  },
  { name: 'contacts-domain', dependencies: ['ccm-db', 'ccm-events'] },
)
