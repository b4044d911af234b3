import type { HttpApp } from '@ccm/http'
import { expectedVersion, problemSchema, writeContext } from '@ccm/http'
import { z } from 'zod'
import { errors } from '../errors.ts'
import { campaignIdParam, targetParams } from '../schemas/common.ts'
import {
  addTargetsInput,
  addTargetsResult,
  listTargetsQuery,
  stageMoveInput,
  targetDetailSchema,
  targetSchema,
} from '../schemas/targets.ts'

const tags = ['targets']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }

export default async function targetsRoutes(app: HttpApp) {
  const { campaigns, targets, targetsService } = app.campaigns

  app.get(
    '/v1/campaigns/:id/targets',
    {
      schema: {
        operationId: 'listTargets',
        tags,
        summary: "A campaign's target states, by name",
        params: campaignIdParam,
        querystring: listTargetsQuery,
        response: { 200: z.object({ items: z.array(targetSchema) }), ...problems },
      },
    },
    async (request) => {
      if (!(await campaigns.get(request.params.id))) throw new errors.CampaignNotFound(request.params.id)
      return { items: await targets.list(request.params.id, request.query) }
    },
  )

  app.post(
    '/v1/campaigns/:id/targets',
    {
      schema: {
        operationId: 'addTargets',
        tags,
        summary: 'Target states, by code or by a filter over the states read model',
        description:
          'Each new target starts in the stage its treaty status implies: `joined` or `in_force` for a State Party, ' +
          '`not_engaged` otherwise. States already targeted are left as they are. A closed campaign gets 409.',
        params: campaignIdParam,
        body: addTargetsInput,
        response: { 201: addTargetsResult, ...problems, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const { iso3, filter } = request.body
      const selection = iso3 ? { iso3 } : { filter: filter! }
      return reply.status(201).send(await targetsService.add(request.params.id, selection, writeContext(request)))
    },
  )

  app.get(
    '/v1/campaigns/:id/targets/:iso3',
    {
      schema: {
        operationId: 'getTarget',
        tags,
        summary: 'One target: its stage, last contact and every transition, oldest first',
        params: targetParams,
        response: { 200: targetDetailSchema, ...problems },
      },
    },
    async (request) => targetsService.get(request.params.id, request.params.iso3),
  )

  app.post(
    '/v1/campaigns/:id/targets/:iso3/stage',
    {
      schema: {
        operationId: 'moveTarget',
        tags,
        summary: 'Move a target by hand',
        description: [
          'A reason is required for `paused` and `declined`, for forward moves into `engaged`, `considering` or',
          '`committed`, and for any move back. `joined` and `in_force` follow the depositary records published by',
          'contacts and cannot be set or left by hand (409).',
          'Send the version you read (body or If-Match); a stale one gets 409.',
        ].join(' '),
        params: targetParams,
        body: stageMoveInput,
        response: { 200: targetDetailSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) => {
      const { version, ...move } = request.body
      return targetsService.moveByHand(
        request.params.id,
        request.params.iso3,
        { ...move, version: expectedVersion(request, version) },
        writeContext(request),
      )
    },
  )
}
