import type { HttpApp } from '@ccm/http'
import { etagOf, pageOf, problemSchema, requiredVersion, writeContext } from '@ccm/http'
import { errors } from '../errors.ts'
import { idParam } from '../schemas/common.ts'
import {
  followUpSchema,
  interactionInput,
  interactionPatch,
  interactionSchema,
  listFollowUpsQuery,
  listInteractionsQuery,
} from '../schemas/interactions.ts'
import { presentInteraction } from '../services/interactions.ts'

const tags = ['interactions']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }

export default async function interactionsRoutes(app: HttpApp) {
  const { interactions, interactionsService } = app.contacts
  const roleOf = (request: { principal: { role: 'admin' | 'editor' | 'viewer' } | null }) => request.principal!.role

  app.get(
    '/v1/interactions',
    {
      schema: {
        operationId: 'listInteractions',
        tags,
        summary: 'The interaction log, newest first',
        description: 'Restricted notes are withheld from viewers (notesRestricted: true).',
        querystring: listInteractionsQuery,
        response: { 200: pageOf(interactionSchema), ...problems },
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query
      const page = await interactions.list(filter, { limit, offset })
      return { ...page, items: page.items.map((i) => presentInteraction(i, roleOf(request))), limit, offset }
    },
  )

  app.post(
    '/v1/interactions',
    {
      schema: {
        operationId: 'logInteraction',
        tags,
        summary: 'Log a meeting, call, letter, démarche…',
        description:
          "The author is the token's subject. Emits contacts.interaction.logged (and contacts.followup.created with " +
          'a follow-up).',
        body: interactionInput,
        response: { 201: interactionSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { notes = null, campaignId = null, ...rest } = request.body
      const logged = await interactionsService.log({ ...rest, notes, campaignId }, writeContext(request))
      return reply
        .status(201)
        .header('etag', etagOf(logged.version))
        .send(presentInteraction(logged, roleOf(request)))
    },
  )

  app.get(
    '/v1/interactions/:id',
    {
      schema: {
        operationId: 'getInteraction',
        tags,
        summary: 'One interaction',
        params: idParam,
        response: { 200: interactionSchema, ...problems },
      },
    },
    async (request, reply) => {
      const interaction = await interactions.get(request.params.id)
      if (!interaction) throw new errors.InteractionNotFound(request.params.id)
      return reply.header('etag', etagOf(interaction.version)).send(presentInteraction(interaction, roleOf(request)))
    },
  )

  app.patch(
    '/v1/interactions/:id',
    {
      schema: {
        operationId: 'updateInteraction',
        tags,
        summary: 'Correct an interaction or update its follow-up',
        description:
          'Send the version you read (body `version` or `If-Match`); a stale one gets 409 and changes nothing. ' +
          '`followUp.done: true` emits contacts.followup.completed.',
        params: idParam,
        body: interactionPatch,
        response: { 200: interactionSchema, ...problems, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const { version, ...patch } = request.body
      const updated = await interactionsService.update(
        request.params.id,
        patch,
        requiredVersion(request, version),
        writeContext(request),
      )
      return reply.header('etag', etagOf(updated.version)).send(presentInteraction(updated, roleOf(request)))
    },
  )

  app.get(
    '/v1/follow-ups',
    {
      schema: {
        operationId: 'listFollowUps',
        tags,
        summary: 'Follow-ups: open (the default, overdue included), overdue, done or all; soonest due first',
        querystring: listFollowUpsQuery,
        response: { 200: pageOf(followUpSchema), ...problems },
      },
    },
    async (request) => {
      const { limit, offset, assignee, due_before, status } = request.query
      return {
        ...(await interactions.listFollowUps({ assignee, dueBefore: due_before, status }, { limit, offset })),
        limit,
        offset,
      }
    },
  )
}
