import type { HttpApp } from '@ccm/http'
import { problemSchema } from '@ccm/http'
import { campaignIdParam } from '../schemas/common.ts'
import { progressSchema, universalizationSchema } from '../schemas/progress.ts'

const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }

export default async function progressRoutes(app: HttpApp) {
  const { progress } = app.campaigns

  app.get(
    '/v1/campaigns/:id/progress',
    {
      schema: {
        operationId: 'getCampaignProgress',
        tags: ['campaigns'],
        summary:
          'Where a campaign stands: targets per stage, goal, conversion, time in stage, stale targets, overdue tasks',
        params: campaignIdParam,
        response: { 200: progressSchema, ...problems },
      },
    },
    async (request) => progress.ofCampaign(request.params.id),
  )

  app.get(
    '/v1/universalization',
    {
      schema: {
        operationId: 'getUniversalization',
        tags: ['universalization'],
        summary: 'States Parties and signatories per UN regional group, and States Parties year by year',
        description:
          'From the states read model (contacts.events); growth counts deposits of instruments by year, less ' +
          'withdrawals in the year they take effect.',
        response: { 200: universalizationSchema, ...problems },
      },
    },
    async () => progress.universalization(),
  )
}
