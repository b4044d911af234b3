import type { HttpApp } from '@ccm/http'
import { pageOf, problemSchema } from '@ccm/http'
import { errors } from '../errors.ts'
import { timelineEntrySchema, timelineQuery } from '../schemas/common.ts'
import { iso3Param } from '../schemas/states.ts'

export default async function stateTimelineRoutes(app: HttpApp) {
  const { states, timelines } = app.contacts

  app.get(
    '/v1/states/:iso3/timeline',
    {
      schema: {
        operationId: 'getStateTimeline',
        tags: ['states'],
        summary: "A state's treaty steps and the interactions concerning it, newest first",
        params: iso3Param,
        querystring: timelineQuery,
        response: { 200: pageOf(timelineEntrySchema), 400: problemSchema, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      if (!(await states.get(request.params.iso3))) throw new errors.StateNotFound(request.params.iso3)
      const { limit, offset } = request.query
      return { ...(await timelines.ofState(request.params.iso3, limit, offset)), limit, offset }
    },
  )
}
