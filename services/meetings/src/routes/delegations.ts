import { stringify } from 'csv-stringify/sync'
import type { HttpApp } from '@ccm/http'
import { expectedVersion, problemSchema, writeContext } from '@ccm/http'
import { z } from 'zod'
import { errors } from '../errors.ts'
import { delegationParams, meetingIdParam } from '../schemas/common.ts'
import {
  attendanceInput,
  credentialsInput,
  delegationDetail,
  delegationInput,
  delegationSchema,
  membersInput,
  participantSchema,
} from '../schemas/delegations.ts'
import { listColumns, listRow } from '../services/participants-list.ts'

const tags = ['delegations']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }

export default async function delegationsRoutes(app: HttpApp) {
  const { meetings, delegations, delegationsService } = app.meetings

  async function existing(meetingId: string) {
    if (!(await meetings.get(meetingId))) throw new errors.MeetingNotFound(meetingId)
  }

  app.get(
    '/v1/meetings/:id/delegations',
    {
      schema: {
        operationId: 'listDelegations',
        tags,
        summary: 'A meeting’s delegations, by name',
        params: meetingIdParam,
        response: { 200: z.object({ items: z.array(delegationSchema) }), ...problems },
      },
    },
    async (request) => {
      await existing(request.params.id)
      return { items: await delegations.ofMeeting(request.params.id) }
    },
  )

  app.post(
    '/v1/meetings/:id/delegations',
    {
      schema: {
        operationId: 'registerDelegation',
        tags,
        summary: 'Register a state’s or an organisation’s delegation',
        description:
          'A state’s capacity (state_party, signatory, observer_state) is its treaty status on the meeting’s first ' +
          'day, from the states read model; an organisation’s is its type. Emits meetings.delegation.registered.',
        params: meetingIdParam,
        body: delegationInput,
        response: { 201: delegationSchema, ...problems, 409: problemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await delegationsService.register(request.params.id, request.body, writeContext(request))),
  )

  app.get(
    '/v1/meetings/:id/delegations/:delegationId',
    {
      schema: {
        operationId: 'getDelegation',
        tags,
        summary: 'A delegation with its members and the days each attended',
        params: delegationParams,
        response: { 200: delegationDetail, ...problems },
      },
    },
    async (request) => {
      const delegation = await delegations.get(request.params.id, request.params.delegationId)
      if (!delegation) throw new errors.DelegationNotFound(request.params.delegationId)
      return { ...delegation, participants: await delegations.participantsOf(delegation.id) }
    },
  )

  app.put(
    '/v1/meetings/:id/delegations/:delegationId/credentials',
    {
      schema: {
        operationId: 'setDelegationCredentials',
        tags,
        summary: 'Record the day the delegation’s credentials were received (null: not received)',
        params: delegationParams,
        body: credentialsInput,
        response: { 200: delegationSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) =>
      delegationsService.setCredentials(
        request.params.id,
        request.params.delegationId,
        request.body.credentialsReceivedOn,
        expectedVersion(request, request.body.version),
        writeContext(request),
      ),
  )

  app.post(
    '/v1/meetings/:id/delegations/:delegationId/members',
    {
      schema: {
        operationId: 'addDelegationMembers',
        tags,
        summary: 'Register members (contacts person ids, the name to list, their function)',
        description: 'A person registered for the meeting already, in any delegation, is a 409 and nothing is added.',
        params: delegationParams,
        body: membersInput,
        response: { 201: z.object({ items: z.array(participantSchema) }), ...problems, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const { id, delegationId } = request.params
      const added = await delegationsService.addMembers(id, delegationId, request.body.members, writeContext(request))
      return reply.status(201).send({ items: added })
    },
  )

  app.post(
    '/v1/meetings/:id/delegations/:delegationId/attendance',
    {
      schema: {
        operationId: 'recordAttendance',
        tags,
        summary: 'Record which members attended on a day (emits meetings.attendance.recorded)',
        params: delegationParams,
        body: attendanceInput,
        response: { 200: z.object({ day: z.string(), attendees: z.number().int() }), ...problems },
      },
    },
    async (request) =>
      delegationsService.recordAttendance(
        request.params.id,
        request.params.delegationId,
        request.body,
        writeContext(request),
      ),
  )

  app.get(
    '/v1/meetings/:id/participants.csv',
    {
      schema: {
        operationId: 'exportParticipants',
        tags,
        summary: 'The list of participants as CSV, in the order the ISU publishes it',
        description:
          'States Parties, signatories, observer states, then organisations; delegations alphabetically within each, ' +
          'heads of delegation first. A cell starting with =, +, -, @, tab or CR gets a leading quote.',
        produces: ['text/csv'],
        params: meetingIdParam,
        response: {
          200: z.string().meta({
            description: 'text/csv',
            example: 'group,delegation,iso3,name,function,credentials_received_on\nStates Parties,Austria,AUT,…',
          }),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const lines = await delegations.listLines(request.params.id)
      // An empty list may be a meeting's with no one registered yet, or no meeting's: only then is it worth asking.
      if (lines.length === 0) await existing(request.params.id)
      reply.header('content-type', 'text/csv; charset=utf-8')
      return stringify(lines.map(listRow), { header: true, columns: listColumns, escape_formulas: true })
    },
  )
}
