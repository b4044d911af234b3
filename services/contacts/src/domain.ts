import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createImportsRepository } from './repositories/imports.ts'
import { createInteractionsRepository } from './repositories/interactions.ts'
import { createOrganizationsRepository } from './repositories/organizations.ts'
import { createPeopleRepository } from './repositories/people.ts'
import { createPersonRecordsRepository } from './repositories/person-records.ts'
import { createSearchRepository } from './repositories/search.ts'
import { createStatesRepository } from './repositories/states.ts'
import { createTimelinesRepository } from './repositories/timelines.ts'
import { createImportsService, type ImportLimits } from './services/imports.ts'
import { createInteractionsService } from './services/interactions.ts'
import { createOrganizationsService } from './services/organizations.ts'
import { createPeopleService } from './services/people.ts'
import { createPersonRecordsService } from './services/person-records.ts'
import { createStatesService } from './services/states.ts'

function createDomain(app: FastifyInstance, options: DomainOptions) {
  const { db, events } = app
  const states = createStatesRepository(db)
  const organizations = createOrganizationsRepository(db)
  const people = createPeopleRepository(db)
  const personRecords = createPersonRecordsRepository(db)
  const interactions = createInteractionsRepository(db)
  const imports = createImportsRepository(db)
  const peopleService = createPeopleService({ db, people, organizations, events })
  return {
    states,
    organizations,
    people,
    personRecords,
    interactions,
    imports,
    search: createSearchRepository(db),
    timelines: createTimelinesRepository(db),
    statesService: createStatesService({ states, events }),
    organizationsService: createOrganizationsService({ organizations, states, events }),
    peopleService,
    personRecordsService: createPersonRecordsService({ db, people, records: personRecords, peopleService, events }),
    interactionsService: createInteractionsService({ interactions, events }),
    importsService: createImportsService({
      imports,
      organizations,
      events,
      log: app.log.child({ component: 'imports' }),
      limits: options.imports,
    }),
  }
}

export interface DomainOptions {
  imports: ImportLimits
}

export type ContactsDomain = ReturnType<typeof createDomain>

declare module 'fastify' {
  interface FastifyInstance {
    contacts: ContactsDomain
  }
}

/** Repositories and services, built once over the infrastructure and shared by the routes and consumers. */
export const domainPlugin = fp(
  async (app: FastifyInstance, options: DomainOptions) => {
    const domain = createDomain(app, options)
    app.decorate('contacts', domain)
    // Before the pool closes (hooks run in reverse order of registration): imports still running finish first.
    app.addHook('onClose', () => domain.importsService.drain())
  },
  { name: 'contacts-domain', dependencies: ['ccm-db', 'ccm-events'] },
)
