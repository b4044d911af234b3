import type { HttpApp } from '@ccm/http'
import { expectedVersion, pageOf, problemSchema, writeContext } from '@ccm/http'
import { errors } from '../errors.ts'
import { campaignInput, campaignPatch, campaignSchema, listCampaignsQuery } from '../schemas/campaigns.ts'
import { campaignIdParam } from '../schemas/common.ts'

const tags = ['campaigns']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }

export default async function campaignsRoutes(app: HttpApp) {
  const { campaigns, campaignsService } = app.campaigns

  app.get(
    '/v1/campaigns',
    {
      schema: {
        operationId: 'listCampaigns',
        tags,
        summary: 'Campaigns, newest first',
        querystring: listCampaignsQuery,
        response: { 200: pageOf(campaignSchema), ...problems },
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query
      return { ...(await campaigns.list(filter, { limit, offset })), limit, offset }
    },
  )

  app.post(
    '/v1/campaigns',
    {
      schema: {
        operationId: 'createCampaign',
        tags,
        summary: 'Start a campaign',
        body: campaignInput,
        response: { 201: campaignSchema, ...problems },
      },
    },
    async (request, reply) => {
      return reply.status(201).send(await campaignsService.create(request.body, writeContext(request)))
    },
  )

  app.get(
    '/v1/campaigns/:id',
    {
      schema: {
        operationId: 'getCampaign',
        tags,
        summary: 'One campaign',
        params: campaignIdParam,
        response: { 200: campaignSchema, ...problems },
      },
    },
    async (request) => {
      const campaign = await campaigns.get(request.params.id)
      if (!campaign) throw new errors.CampaignNotFound(request.params.id)
      return campaign
    },
  )

  app.patch(
    '/v1/campaigns/:id',
    {
      schema: {
        operationId: 'updateCampaign',
        tags,
        summary: 'Change a campaign',
        description:
          'Completed and cancelled campaigns are closed: their status cannot change again. Send the version you read ' +
          '(body or If-Match); a stale one gets 409.',
        params: campaignIdParam,
        body: campaignPatch,
        response: { 200: campaignSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) => {
      const { version, ...patch } = request.body
      return campaignsService.update(request.params.id, patch, expectedVersion(request, version), writeContext(request))
    },
  )
}
