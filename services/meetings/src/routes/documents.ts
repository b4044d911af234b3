import type { HttpApp } from '@ccm/http'
import { problemSchema, writeContext } from '@ccm/http'
import { z } from 'zod'
import { errors } from '../errors.ts'
import { meetingIdParam } from '../schemas/common.ts'
import { documentInput, documentSchema } from '../schemas/meetings.ts'

const tags = ['documents']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }

export default async function documentsRoutes(app: HttpApp) {
  const { meetings, documents, documentsService } = app.meetings

  app.get(
    '/v1/meetings/:id/documents',
    {
      schema: {
        operationId: 'listMeetingDocuments',
        tags,
        summary: 'A meeting’s documents, by symbol',
        params: meetingIdParam,
        response: { 200: z.object({ items: z.array(documentSchema) }), ...problems },
      },
    },
    async (request) => {
      if (!(await meetings.get(request.params.id))) throw new errors.MeetingNotFound(request.params.id)
      return { items: await documents.ofMeeting(request.params.id) }
    },
  )

  app.post(
    '/v1/meetings/:id/documents',
    {
      schema: {
        operationId: 'addMeetingDocument',
        tags,
        summary: 'Add a document (UN symbol, title, kind, a URL per language)',
        params: meetingIdParam,
        body: documentInput,
        response: { 201: documentSchema, ...problems, 409: problemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await documentsService.add(request.params.id, request.body, writeContext(request))),
  )
}
