import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createDelegationsRepository } from './repositories/delegations.ts'
import { createDocumentsRepository } from './repositories/documents.ts'
import { createMeetingsRepository } from './repositories/meetings.ts'
import { createPeopleRepository } from './repositories/people.ts'
import { createSponsorshipRepository } from './repositories/sponsorship.ts'
import { createStatesRepository } from './repositories/states.ts'
import { createContactsFeedService } from './services/contacts-feed.ts'
import { createDocumentsService } from './services/documents.ts'
import { createDelegationsService } from './services/delegations.ts'
import { createMeetingsService } from './services/meetings.ts'
import { createSponsorshipService } from './services/sponsorship.ts'

function createDomain(app: FastifyInstance) {
  const { db, events } = app
  const states = createStatesRepository(db)
  const meetings = createMeetingsRepository(db)
  const documents = createDocumentsRepository(db)
  const delegations = createDelegationsRepository(db)
  const people = createPeopleRepository(db)
  const sponsorship = createSponsorshipRepository(db)
  return {
    states,
    meetings,
    documents,
    delegations,
    people,
    sponsorship,
    meetingsService: createMeetingsService({ meetings, events }),
    documentsService: createDocumentsService({ meetings, documents, events }),
    delegationsService: createDelegationsService({ meetings, delegations, states, events }),
    sponsorshipService: createSponsorshipService({ meetings, sponsorship, states, events }),
    contactsFeed: createContactsFeedService({ states, people }),
  }
}

export type MeetingsDomain = ReturnType<typeof createDomain>

declare module 'fastify' {
  interface FastifyInstance {
    meetings: MeetingsDomain
  }
}

/** Repositories and services, built once over the infrastructure and shared by the routes and consumers. */
export const domainPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('meetings', createDomain(app))
  },
  { name: 'meetings-domain', dependencies: ['ccm-db', 'ccm-events'] },
)
