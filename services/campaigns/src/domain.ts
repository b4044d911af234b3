import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createCampaignsRepository } from './repositories/campaigns.ts'
import { createMilestonesRepository } from './repositories/milestones.ts'
import { createReportsRepository } from './repositories/reports.ts'
import { createStatesRepository } from './repositories/states.ts'
import { createTargetsRepository } from './repositories/targets.ts'
import { createTasksRepository } from './repositories/tasks.ts'
import { createCampaignsService } from './services/campaigns.ts'
import { createErasureService } from './services/erasure.ts'
import { createPipelineService } from './services/pipeline.ts'
import { createProgressService } from './services/progress.ts'
import { createReportsService } from './services/reports.ts'
import { createTargetsService } from './services/targets.ts'
import { createTasksService } from './services/tasks.ts'

function createDomain(app: FastifyInstance) {
  const { db, events } = app
  const states = createStatesRepository(db)
  const campaigns = createCampaignsRepository(db)
  const targets = createTargetsRepository(db)
  const milestones = createMilestonesRepository(db)
  const tasks = createTasksRepository(db)
  const reports = createReportsRepository(db)
  const pipeline = createPipelineService({ states, campaigns, targets, milestones, events })
  return {
    states,
    campaigns,
    targets,
    tasks,
    reports,
    pipeline,
    erasure: createErasureService({ targets, tasks }),
    campaignsService: createCampaignsService({ campaigns, events }),
    targetsService: createTargetsService({ states, campaigns, targets, reports, pipeline, events }),
    tasksService: createTasksService({ campaigns, targets, tasks, events }),
    reportsService: createReportsService({ states, reports, events }),
    progress: createProgressService({ db, campaigns, targets, tasks, states }),
  }
}

export type CampaignsDomain = ReturnType<typeof createDomain>

declare module 'fastify' {
  interface FastifyInstance {
    campaigns: CampaignsDomain
  }
}

/** Repositories and services, built once over the infrastructure and shared by the routes, consumers and sweep. */
export const domainPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('campaigns', createDomain(app))
  },
  { name: 'campaigns-domain', dependencies: ['ccm-db', 'ccm-events'] },
)
