import type { HttpApp } from '@ccm/http'
import { expectedVersion, problemSchema, writeContext } from '@ccm/http'
import { z } from 'zod'
import { errors } from '../errors.ts'
import { channelInput, channelPatch, channelSchema, idParam } from '../schemas/channels.ts'

const tags = ['channels']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }
const adminsOnly = { roles: ['admin'] as const }

export default async function channelsRoutes(app: HttpApp) {
  const { channels, channelsService } = app.social

  app.get(
    '/v1/channels',
    {
      schema: {
        operationId: 'listChannels',
        tags,
        summary: 'The accounts posts go to (credentials are never returned)',
        response: { 200: z.object({ items: z.array(channelSchema) }), ...problems },
      },
    },
    async () => ({ items: await channels.list() }),
  )

  app.get(
    '/v1/channels/:id',
    {
      schema: {
        operationId: 'getChannel',
        tags,
        summary: 'One channel and whether it needs re-authorisation',
        params: idParam,
        response: { 200: channelSchema, ...problems },
      },
    },
    async (request) => {
      const channel = await channels.get(request.params.id)
      if (!channel) throw new errors.ChannelNotFound(request.params.id)
      return channel
    },
  )

  app.post(
    '/v1/channels',
    {
      config: adminsOnly,
      schema: {
        operationId: 'createChannel',
        tags,
        summary: 'Add an X account or a Facebook Page (admins)',
        body: channelInput,
        response: { 201: channelSchema, ...problems },
      },
    },
    async (request, reply) => reply.status(201).send(await channelsService.create(request.body, writeContext(request))),
  )

  app.patch(
    '/v1/channels/:id',
    {
      config: adminsOnly,
      schema: {
        operationId: 'updateChannel',
        tags,
        summary: 'Rename, change the default, or replace the credentials (re-authorises the channel) (admins)',
        params: idParam,
        body: channelPatch,
        response: { 200: channelSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) => {
      const version = expectedVersion(request, request.body.version)
      return channelsService.update(request.params.id, { ...request.body, version }, writeContext(request))
    },
  )
}
