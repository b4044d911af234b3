import { z } from 'zod'
import type { FastifyReply } from 'fastify'
import { problemSchema, writeContext, type HttpApp } from '@ccm/http'
import type { User } from '../repositories/users.ts'
import { passwordChangeInput, sessionSchema, signInInput } from '../schemas/session.ts'
import { SESSION_COOKIE } from '../session-guard.ts'
import type { Session } from '../services/sessions.ts'

const tags = ['session']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema }

const sessionOf = (user: User, session: Session) => ({
  user: {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
  },
  csrfToken: session.csrfToken,
})

export default async function sessionRoutes(app: HttpApp, options: { secureCookie: boolean }) {
  const { signIn, sessions, usersService, serviceTokens } = app.console

  // A throttled sign-in says when to try again.
  app.addHook('onError', async (_request, reply, error) => {
    const retryAfter = (error as { retryAfter?: number }).retryAfter
    if (error.statusCode === 429 && retryAfter) reply.header('retry-after', String(retryAfter))
  })

  const endSession = async (reply: FastifyReply, session: Session) => {
    await sessions.end(session)
    serviceTokens.forget(session.key)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
  }

  app.get(
    '/api/session',
    {
      config: { beforePasswordChange: true },
      schema: {
        operationId: 'getSession',
        tags,
        summary: 'Who is signed in, and the token every write must carry as x-csrf-token',
        response: { 200: sessionSchema, ...problems },
      },
    },
    async (request) => sessionOf(request.consoleUser!, request.consoleSession!),
  )

  app.post(
    '/api/session',
    {
      config: { signedOut: true },
      schema: {
        operationId: 'signIn',
        tags,
        summary: 'Sign in; sets the session cookie',
        description: 'A wrong username or password, or a disabled user, is one 401; too many failures are 429.',
        body: signInInput,
        response: { 200: sessionSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body
      const { user, cookie, session } = await signIn.signIn(username, password, request.ip)
      request.log.info({ userId: user.id }, 'signed in')
      reply.setCookie(SESSION_COOKIE, cookie, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: options.secureCookie,
      })
      return sessionOf(user, session)
    },
  )

  app.delete(
    '/api/session',
    {
      config: { beforePasswordChange: true },
      schema: {
        operationId: 'signOut',
        tags,
        summary: 'Sign out: ends the session everywhere',
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await endSession(reply, request.consoleSession!)
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/api/session/password',
    {
      config: { beforePasswordChange: true },
      schema: {
        operationId: 'changePassword',
        tags,
        summary: 'Change your own password (at least 12 characters, not the current one)',
        body: passwordChangeInput,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      const { currentPassword, newPassword } = request.body
      await usersService.changePassword(request.consoleUser!.id, currentPassword, newPassword, writeContext(request))
      return reply.status(204).send(null)
    },
  )
}
