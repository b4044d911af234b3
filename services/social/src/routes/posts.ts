import { withTransaction, type Queryable } from '@ccm/db'
import type { HttpApp } from '@ccm/http'
import { expectedVersion, pageOf, problemSchema, requiredVersion, writeContext } from '@ccm/http'
import { errors } from '../errors.ts'
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
  const { posts, deliveries, postsService } = app.social

  async function withDeliveries(list: Post[], client?: Queryable) {
    const all = await deliveries.forPosts(
      list.map((p) => p.id),
      client,
    )
    return list.map((post) => ({ ...post, deliveries: all.filter((d) => d.postId === post.id) }))
  }
  const one = async (post: Post, client?: Queryable) => (await withDeliveries([post], client))[0]!
  // Posts and their deliveries read as of one moment: a delivery settling between the two reads would
  // otherwise show a post whose status its deliveries contradict.
  const snapshot = <T>(read: (client: Queryable) => Promise<T>) =>
    withTransaction(app.db, read, { readOnlySnapshot: true })

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
      return snapshot(async (client) => {
        const page = await posts.list(filter, { limit, offset }, client)
        return { items: await withDeliveries(page.items, client), total: page.total, limit, offset }
      })
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
    async (request) =>
      snapshot(async (client) => {
        const post = await posts.get(request.params.id, client)
        if (!post) throw new errors.PostNotFound(request.params.id)
        return one(post, client)
      }),
  )

  app.post(
    '/v1/posts',
    {
      schema: {
        operationId: 'createPost',
        tags,
        summary: 'Write a draft post',
        description:
          'Validated per channel when written: X counts weighted characters (twitter-text: URLs 23, CJK and emoji 2), 280 per post of a thread; Facebook allows 63,206. The 400 names the channel and how far over the text is.',
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

  const action = (
    path: string,
    summary: string,
    run: (id: string, version: number | undefined, request: any) => Promise<Post>,
    body = versionBody,
  ) =>
    app.post(
      `/v1/posts/:id/${path}`,
      {
        // No body is an empty one, so a missing field is named (`body.note`) and If-Match alone can carry the version.
        preValidation: async (request) => {
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
        const payload = request.body as { version?: number }
        return one(await run(request.params.id, expectedVersion(request, payload.version), request))
      },
    )

  action('submit', 'Submit a draft for approval', (id, v, r) => postsService.submit(id, v, writeContext(r)))
  action(
    'approve',
    'Approve the version you read of a submitted post (not its author, nor anyone who changed its words since it was last approved); with a time, it is scheduled',
    (id, v, r) => postsService.approve(id, requiredVersion(r, v), writeContext(r)),
  )
  action(
    'reject',
    'Send a submitted post back to draft with a note',
    (id, v, r) => postsService.reject(id, v, r.body.note, writeContext(r)),
    rejectBody as never,
  )
  action('cancel', 'Withdraw a post that has not gone out', (id, v, r) => postsService.cancel(id, v, writeContext(r)))
  action('publish-now', 'Publish an approved post now', (id, v, r) => postsService.publishNow(id, v, writeContext(r)))
  action(
    'reschedule',
    'Move an approved, missed or failed post to another time',
    (id, v, r) => postsService.reschedule(id, { ...r.body, version: v }, writeContext(r)),
    rescheduleBody as never,
  )

  app.post(
    '/v1/posts/:id/deliveries/:channelId/resolve',
    {
      schema: {
        operationId: 'resolveDelivery',
        tags,
        summary: 'Settle an unconfirmed delivery: it was published (with its URL), or send it again',
        description:
          'An attempt whose outcome is unknown (a timeout, a 5xx, a crash mid-call) is never re-sent on its own: check the account, then resolve.',
        params: deliveryParams,
        body: resolveBody,
        response: actionResponses,
      },
    },
    async (request) =>
      one(await postsService.resolve(request.params.id, request.params.channelId, request.body, writeContext(request))),
  )
}
