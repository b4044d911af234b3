import { z } from 'zod'
import { etagOf, problemSchema, requiredVersion, writeContext, type HttpApp } from '@ccm/http'
import { oneTimePasswordSchema, userIdParam, userInput, userPatch, userSchema } from '../schemas/users.ts'

const tags = ['users']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema }
const adminsOnly = { roles: ['admin'] as const }

/** The console's users, managed by admins; every write audited with who made it. */
export default async function usersRoutes(app: HttpApp) {
  const { users, usersService } = app.console

  app.get(
    '/api/users',
    {
      config: adminsOnly,
      schema: {
        operationId: 'listUsers',
        tags,
        summary: 'Every user, by username',
        response: { 200: z.object({ items: z.array(userSchema) }), ...problems },
      },
    },
    async () => ({ items: await users.list() }),
  )

  app.post(
    '/api/users',
    {
      config: adminsOnly,
      schema: {
        operationId: 'createUser',
        tags,
        summary: 'Add a user; answers their one-time password, to be changed at their first sign-in',
        body: userInput,
        response: { 201: z.object({ user: userSchema, oneTimePassword: z.string() }), ...problems },
      },
    },
    async (request, reply) => {
      const created = await usersService.create(request.body, writeContext(request))
      return reply.status(201).header('etag', etagOf(created.user.version)).send(created)
    },
  )

  app.patch(
    '/api/users/:id',
    {
      config: adminsOnly,
      schema: {
        operationId: 'updateUser',
        tags,
        summary: 'Rename, change the role of, disable or enable a user',
        description:
          'Send the version you read; a stale one is 409. Disabling a user or changing their role ends their ' +
          'sessions; leaving no active admin is 409.',
        params: userIdParam,
        body: userPatch,
        response: { 200: userSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { version, ...changes } = request.body
      const expected = requiredVersion(request, version)
      const user = await usersService.update(request.params.id, expected, changes, writeContext(request))
      return reply.header('etag', etagOf(user.version)).send(user)
    },
  )

  app.post(
    '/api/users/:id/password-reset',
    {
      config: adminsOnly,
      schema: {
        operationId: 'resetUserPassword',
        tags,
        summary: 'A new one-time password for a user, who must change it at the next sign-in; ends their sessions',
        params: userIdParam,
        response: { 200: oneTimePasswordSchema, ...problems },
      },
    },
    async (request) => ({
      oneTimePassword: await usersService.resetPassword(request.params.id, writeContext(request)),
    }),
  )
}
