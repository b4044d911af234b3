import type { HttpApp } from '@ccm/http'
import { expectedVersion, pageOf, problemSchema, writeContext } from '@ccm/http'
import { errors } from '../errors.ts'
import { meetingIdParam } from '../schemas/common.ts'
import { listMeetingsQuery, meetingInput, meetingPatch, meetingSchema } from '../schemas/meetings.ts'

const tags = ['meetings']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }

export default async function meetingsRoutes(app: HttpApp) {
  const { meetings, meetingsService } = app.meetings

  app.get(
    '/v1/meetings',
    {
      schema: {
        operationId: 'listMeetings',
        tags,
        summary: 'Meetings, latest first (those not yet dated at the top)',
        querystring: listMeetingsQuery,
        response: { 200: pageOf(meetingSchema), ...problems },
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query
      return { ...(await meetings.list(filter, { limit, offset })), limit, offset }
    },
  )

  app.post(
    '/v1/meetings',
    {
      schema: {
        operationId: 'createMeeting',
        tags,
        summary: 'Schedule a meeting (emits meetings.meeting.scheduled)',
        body: meetingInput,
        response: { 201: meetingSchema, ...problems },
      },
    },
    async (request, reply) => reply.status(201).send(await meetingsService.create(request.body, writeContext(request))),
  )

  app.get(
    '/v1/meetings/:id',
    {
      schema: {
        operationId: 'getMeeting',
        tags,
        summary: 'One meeting',
        params: meetingIdParam,
        response: { 200: meetingSchema, ...problems },
      },
    },
    async (request) => {
      const meeting = await meetings.get(request.params.id)
      if (!meeting) throw new errors.MeetingNotFound(request.params.id)
      return meeting
    },
  )

  app.patch(
    '/v1/meetings/:id',
    {
      schema: {
        operationId: 'updateMeeting',
        tags,
        summary: 'Change a meeting',
        description: 'Send the version you read (body or If-Match); a stale one gets 409.',
        params: meetingIdParam,
        body: meetingPatch,
        response: { 200: meetingSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) => {
      const { version, ...patch } = request.body
      return meetingsService.update(request.params.id, patch, expectedVersion(request, version), writeContext(request))
    },
  )
}
