import type { HttpApp } from '@ccm/http'
import { iso3, problemSchema, writeContext } from '@ccm/http'
import { z } from 'zod'
import { dueReportSchema, dueReportsQuery, reportInput, reportSchema } from '../schemas/reports.ts'
import { today } from '../services/dates.ts'

const tags = ['reports']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema }

export default async function reportsRoutes(app: HttpApp) {
  const { reports, reportsService } = app.campaigns

  app.post(
    '/v1/reports',
    {
      schema: {
        operationId: 'recordReport',
        tags,
        summary: 'Record an Article 7 transparency report received from a State Party',
        description: 'An annual report names the calendar year it covers. A report already recorded gets 409.',
        body: reportInput,
        response: { 201: reportSchema, ...problems, 409: problemSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await reportsService.record(request.body, writeContext(request))),
  )

  app.get(
    '/v1/reports',
    {
      schema: {
        operationId: 'listReports',
        tags,
        summary: 'Reports received',
        querystring: z.object({ iso3: iso3.optional() }),
        response: { 200: z.object({ items: z.array(reportSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await reports.list(request.query) }),
  )

  app.get(
    '/v1/reports/due',
    {
      schema: {
        operationId: 'listDueReports',
        tags,
        summary: 'Article 7 reports not received: overdue (with days late) and due within a year',
        description: [
          'Art. 7(1): the initial report within 180 days of entry into force for the State Party.',
          'Art. 7(2): an annual update by 30 April covering the previous calendar year; the first is due on the',
          "first 30 April after the initial report's deadline. Nothing falls due after a withdrawal takes effect.",
        ].join(' '),
        querystring: dueReportsQuery,
        response: { 200: z.object({ asOf: z.string(), items: z.array(dueReportSchema) }), ...problems },
      },
    },
    async (request) => {
      const { as_of, ...filter } = request.query
      const asOf = as_of ?? today()
      return { asOf, items: await reportsService.due(asOf, filter) }
    },
  )
}
