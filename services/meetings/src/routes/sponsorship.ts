import type { FastifyRequest } from 'fastify'
import type { HttpApp } from '@ccm/http'
import { expectedVersion, problemSchema, writeContext } from '@ccm/http'
import { z } from 'zod'
import { errors } from '../errors.ts'
import { applicationParams, meetingIdParam } from '../schemas/common.ts'
import {
  applicationInput,
  applicationSchema,
  budgetInput,
  budgetSchema,
  costsInput,
  decisionInput,
  summarySchema,
} from '../schemas/sponsorship.ts'

const tags = ['sponsorship']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }
const withAdmin = (request: FastifyRequest) => ({
  ...writeContext(request),
  isAdmin: request.principal?.role === 'admin',
})

export default async function sponsorshipRoutes(app: HttpApp) {
  const { meetings, sponsorship, sponsorshipService } = app.meetings

  app.get(
    '/v1/meetings/:id/sponsorship',
    {
      schema: {
        operationId: 'getSponsorshipSummary',
        tags,
        summary: 'The Sponsorship Programme at a meeting: budget, committed, spent, applications, by region',
        params: meetingIdParam,
        response: { 200: summarySchema, ...problems },
      },
    },
    async (request) => sponsorshipService.summary(request.params.id),
  )

  app.put(
    '/v1/meetings/:id/sponsorship/budget',
    {
      schema: {
        operationId: 'setSponsorshipBudget',
        tags,
        summary: 'Set the budget (amount in minor units, currency, donors)',
        description: 'A budget below what is committed already is a 409, unless an admin overrides it with a reason.',
        params: meetingIdParam,
        body: budgetInput,
        response: { 200: budgetSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) => {
      const { version, ...budget } = request.body
      return sponsorshipService.setBudget(
        request.params.id,
        budget,
        expectedVersion(request, version),
        withAdmin(request),
      )
    },
  )

  app.get(
    '/v1/meetings/:id/sponsorship/applications',
    {
      schema: {
        operationId: 'listSponsorshipApplications',
        tags,
        summary: 'Applications to the Programme for a meeting, oldest first',
        params: meetingIdParam,
        response: { 200: z.object({ items: z.array(applicationSchema) }), ...problems },
      },
    },
    async (request) => {
      if (!(await meetings.get(request.params.id))) throw new errors.MeetingNotFound(request.params.id)
      return { items: await sponsorship.ofMeeting(request.params.id) }
    },
  )

  app.post(
    '/v1/meetings/:id/sponsorship/applications',
    {
      schema: {
        operationId: 'createSponsorshipApplication',
        tags,
        summary: 'Enter an application (person, state, function, motivation)',
        params: meetingIdParam,
        body: applicationInput,
        response: { 201: applicationSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await sponsorshipService.apply(request.params.id, request.body, writeContext(request))),
  )

  app.get(
    '/v1/meetings/:id/sponsorship/applications/:applicationId',
    {
      schema: {
        operationId: 'getSponsorshipApplication',
        tags,
        summary: 'One application',
        params: applicationParams,
        response: { 200: applicationSchema, ...problems },
      },
    },
    async (request) => {
      const application = await sponsorship.get(request.params.id, request.params.applicationId)
      if (!application) throw new errors.ApplicationNotFound(request.params.applicationId)
      return application
    },
  )

  app.post(
    '/v1/meetings/:id/sponsorship/applications/:applicationId/decision',
    {
      schema: {
        operationId: 'decideSponsorshipApplication',
        tags,
        summary: 'Approve, waitlist or decline, with the reason (emits meetings.sponsorship.decided)',
        description:
          'By an editor or admin other than the one who entered the application (403 otherwise). Approving past the ' +
          'budget is a 409 naming the overrun, unless an admin overrides it with a reason.',
        params: applicationParams,
        body: decisionInput,
        response: { 200: applicationSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) =>
      sponsorshipService.decide(
        request.params.id,
        request.params.applicationId,
        { ...request.body, version: expectedVersion(request, request.body.version) },
        withAdmin(request),
      ),
  )

  app.patch(
    '/v1/meetings/:id/sponsorship/applications/:applicationId',
    {
      schema: {
        operationId: 'updateSponsorshipCosts',
        tags,
        summary: 'An approved delegate’s travel, accommodation, allowance, visa letter, attendance and report',
        description:
          'Costs that take committed or spent past the budget are a 409 naming the overrun, unless an admin ' +
          'overrides it with a reason.',
        params: applicationParams,
        body: costsInput,
        response: { 200: applicationSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) =>
      sponsorshipService.setCosts(
        request.params.id,
        request.params.applicationId,
        { ...request.body, version: expectedVersion(request, request.body.version) },
        withAdmin(request),
      ),
  )
}
