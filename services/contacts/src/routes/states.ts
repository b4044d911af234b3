import type { HttpApp } from '@ccm/http'
import { pageOf, problemSchema, writeContext } from '@ccm/http'
import { z } from 'zod'
import { errors } from '../errors.ts'
import {
  armedConflictInput,
  iso3Param,
  listStatesQuery,
  stateSchema,
  statesSummaryQuery,
  statesSummarySchema,
  treatyStepInput,
  treatyStepSchema,
} from '../schemas/states.ts'
import { summaryOf } from '../services/summary.ts'

const tags = ['states']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }

export default async function statesRoutes(app: HttpApp) {
  const { states, statesService } = app.contacts

  app.get(
    '/v1/states',
    {
      schema: {
        operationId: 'listStates',
        tags,
        summary: 'States, filtered and sorted by name',
        querystring: listStatesQuery,
        response: { 200: pageOf(stateSchema), ...problems },
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query
      const page = await states.list(filter, { limit, offset })
      return { ...page, limit, offset }
    },
  )

  app.get(
    '/v1/states/summary',
    {
      schema: {
        operationId: 'getStatesSummary',
        tags,
        summary: 'How many states have each treaty status on a day, overall and per UN regional group',
        description:
          'Counted as the depositary does: instruments deposited on or before the day, less withdrawals effective on ' +
          'or before it (Art. 20(3)); a State Party whose withdrawal is pending still counts.',
        querystring: statesSummaryQuery,
        response: { 200: statesSummarySchema, ...problems },
      },
    },
    async (request) => {
      const asOf = request.query.asOf ?? new Date().toISOString().slice(0, 10)
      return summaryOf(asOf, await states.standingOn(asOf))
    },
  )

  app.get(
    '/v1/states/:iso3',
    {
      schema: {
        operationId: 'getState',
        tags,
        summary: 'One state and its standing under the Convention',
        params: iso3Param,
        response: { 200: stateSchema, ...problems },
      },
    },
    async (request) => {
      const state = await states.get(request.params.iso3)
      if (!state) throw new errors.StateNotFound(request.params.iso3)
      return state
    },
  )

  app.get(
    '/v1/states/:iso3/history',
    {
      schema: {
        operationId: 'getStateHistory',
        tags,
        summary: 'The depositary steps recorded for a state, oldest first',
        params: iso3Param,
        response: { 200: z.object({ items: z.array(treatyStepSchema) }), ...problems },
      },
    },
    async (request) => {
      if (!(await states.get(request.params.iso3))) throw new errors.StateNotFound(request.params.iso3)
      return { items: await states.history(request.params.iso3) }
    },
  )

  app.post(
    '/v1/states/:iso3/treaty-events',
    {
      schema: {
        operationId: 'recordTreatyEvent',
        tags,
        summary: 'Record a step by the depositary (signature, ratification, accession, withdrawal, its revocation…)',
        description:
          'Updates the status and derives the dates: entry into force on the first day of the sixth month after the ' +
          'month of deposit (Art. 17(2)); a withdrawal takes effect six months after the notice (Art. 20(3)), until ' +
          'when the state stays a State Party and can revoke it. A step that does not fit the current status is ' +
          'refused with 409.',
        params: iso3Param,
        body: treatyStepInput,
        response: { 201: z.object({ step: treatyStepSchema, state: stateSchema }), ...problems, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const result = await statesService.recordTreatyStep(request.params.iso3, request.body, writeContext(request))
      return reply.status(201).send(result)
    },
  )

  app.put(
    '/v1/states/:iso3/withdrawal/armed-conflict',
    {
      schema: {
        operationId: 'setArmedConflictHold',
        tags,
        summary: "Record whether Art. 20(3)'s armed-conflict proviso holds a pending withdrawal back, and until when",
        description:
          'With `armedConflict: true` and no date the withdrawal waits (no effective date) until a person gives ' +
          '`effectiveOn`, the end of the armed conflict, no earlier than six months after the notice. 409 when no ' +
          'withdrawal is pending.',
        params: iso3Param,
        body: armedConflictInput,
        response: { 200: stateSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) =>
      statesService.setWithdrawalArmedConflict(request.params.iso3, request.body, writeContext(request)),
  )
}
