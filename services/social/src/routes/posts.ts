import type { FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { HttpApp } from '@ccm/http'
import { expectedVersion, pageOf, problemSchema, requiredVersion, writeContext } from '@ccm/http'
import type { Post } from '../repositories/posts.ts'
import {
  deliveryParams,
  listPostsQuery,
  postIdParam,
  postInput,
  postPatch,
  postSchema,
  rejectBody,
  rescheduleBody,
  resolveBody,
  versionBody,
} from '../schemas/posts.ts'

const tags = ['posts']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }
const actionResponses = { 200: postSchema, ...problems, 409: problemSchema }

export default async function postsRoutes(app: HttpApp) {
  const { postsService } = app.social
  const one = (post: Post) => postsService.withDeliveries(post)

  app.get(
    '/v1/posts',
    {
      schema: {
        operationId: 'listPosts',
        tags,
        summary: 'Posts by scheduled time (the calendar), filtered by window, status and channel',
        querystring: listPostsQuery,
        response: { 200: pageOf(postSchema), ...problems },
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query
      return { ...(await postsService.listWithDeliveries(filter, { limit, offset })), limit, offset }
    },
  )

  app.get(
    '/v1/posts/:id',
    {
      schema: {
        operationId: 'getPost',
        tags,
        summary: 'One post and each channel’s delivery',
        params: postIdParam,
        response: { 200: postSchema, ...problems },
      },
    },
    async (request) => postsService.getWithDeliveries(request.params.id),
  )

  app.post(
    '/v1/posts',
    {
      schema: {
        operationId: 'createPost',
        tags,
        summary: 'Write a draft post',
        description:
          'Validated per channel when written: X counts weighted characters (twitter-text: URLs 23, ' +
          'CJK and emoji 2), 280 per post of a thread; Facebook allows 63,206. ' +
          'The 400 names the channel and how far over the text is.',
        body: postInput,
        response: { 201: postSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await one(await postsService.create(request.body, writeContext(request)))),
  )

  app.patch(
    '/v1/posts/:id',
    {
      schema: {
        operationId: 'updatePost',
        tags,
        summary: 'Edit a post; an approved or scheduled post goes back to draft',
        params: postIdParam,
        body: postPatch,
        response: actionResponses,
      },
    },
    async (request) => {
      const version = expectedVersion(request, request.body.version)
      return one(await postsService.update(request.params.id, { ...request.body, version }, writeContext(request)))
    },
  )

  /** A workflow step, `POST /v1/posts/:id/<path>`: its body carries the version read and what the step needs. */
  const action = <Body extends { version?: number }>(
    path: string,
    summary: string,
    body: z.ZodType<Body>,
    run: (id: string, version: number | undefined, body: Body, request: FastifyRequest) => Promise<Post>,
  ) =>
    app.post(
      `/v1/posts/:id/${path}`,
      {
        // No body is an empty one, so a missing field is named (`body.note`) and If-Match alone can carry the
        // version.
        preValidation: async (request: FastifyRequest) => {
          request.body ??= {}
        },
        schema: {
          operationId: `${path.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Post`,
          tags,
          summary,
          params: postIdParam,
          body,
          response: actionResponses,
        },
      },
      async (request) => {
        // The type provider cannot resolve a generic schema's type; `body` validated the payload as a Body.
        const payload = request.body as Body
        return one(await run(request.params.id, expectedVersion(request, payload.version), payload, request))
      },
    )

  action('submit', 'Submit a draft for approval', versionBody, (id, v, _, r) =>
    postsService.submit(id, v, writeContext(r)),
  )
  action(
    'approve',
    'Approve the version you read of a submitted post (not its author, nor anyone who changed its words ' +
      'since it was last approved); with a time, it is scheduled',
    versionBody,
    (id, v, _, r) => postsService.approve(id, requiredVersion(r, v), writeContext(r)),
  )
  action('reject', 'Send a submitted post back to draft with a note', rejectBody, (id, v, body, r) =>
    postsService.reject(id, v, body.note, writeContext(r)),
  )
  action('cancel', 'Withdraw a post that has not gone out', versionBody, (id, v, _, r) =>
    postsService.cancel(id, v, writeContext(r)),
  )
  action('publish-now', 'Publish an approved post now', versionBody, (id, v, _, r) =>
    postsService.publishNow(id, v, writeContext(r)),
  )
  action('reschedule', 'Move an approved, missed or failed post to another time', rescheduleBody, (id, v, body, r) =>
    postsService.reschedule(id, { ...body, version: v }, writeContext(r)),
  )

  app.post(
    '/v1/posts/:id/deliveries/:channelId/resolve',
    {
      schema: {
        operationId: 'resolveDelivery',
        tags,
        summary: 'Settle an unconfirmed delivery: it was published (with its URL), or send it again',
        description:
          'An attempt whose outcome is unknown (a timeout, a 5xx, a crash mid-call) is never re-sent ' +
          'on its own: check the account, then resolve.',
        params: deliveryParams,
        body: resolveBody,
        response: actionResponses,
      },
    },
    async (request) =>
      one(await postsService.resolve(request.params.id, request.params.channelId, request.body, writeContext(request))),
  )
}
