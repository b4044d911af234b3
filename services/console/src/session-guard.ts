import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { errors, passwordChangeRequired } from './errors.ts'
import type { User } from './repositories/users.ts'
import type { Session } from './services/sessions.ts'

export const SESSION_COOKIE = 'ccm_session'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user and their session, on every /api route but sign-in. */
    consoleUser: User | null
    consoleSession: Session | null
  }
  interface FastifyContextConfig {
    /** Sign-in itself: no session needed (the Origin check still applies). */
    signedOut?: boolean
    /** Open while the user must still change their password (reading and ending the session, changing it). */
    beforePasswordChange?: boolean
  }
}

const safeMethods = new Set(['GET', 'HEAD'])

function sameText(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** An Origin or Fetch Metadata header that says another site sent the request (a form posted from elsewhere). */
function crossSite(request: FastifyRequest): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true
  const origin = request.headers.origin
  if (origin === undefined) return false
  try {
    // Both through URL, so that a default port (`:80`, `:443`) written in one and not the other still compares equal.
    return new URL(origin).host !== new URL(`${request.protocol}://${request.host}`).host
  } catch {
    return true // `null` (a sandboxed frame, a redirect across sites) or garbage
  }
}

/**
 * Every /api route, decided on the route the router matched (never the raw URL): a write from another site is
 * refused; then, but for sign-in, the session cookie must name a live session, a write must carry that session's
 * `x-csrf-token`, a user who must change their password may do only that, and the route's `roles` must include theirs.
 * Runs on request, before any body is read.
 */
export const sessionGuardPlugin = fp(
  async (app: FastifyInstance) => {
    const { sessions, users } = app.console
    app.decorateRequest('consoleUser', null)
    app.decorateRequest('consoleSession', null)

    async function signedOut(request: FastifyRequest, reply: FastifyReply): Promise<never> {
      // A cookie naming no live session is of no more use: the browser may forget it.
      if (request.cookies[SESSION_COOKIE]) reply.clearCookie(SESSION_COOKIE, { path: '/' })
      throw new errors.NotSignedIn()
    }

    app.addHook('onRequest', async (request, reply) => {
      if (!request.routeOptions.url?.startsWith('/api/')) return
      const safe = safeMethods.has(request.method)
      if (!safe && crossSite(request)) throw new errors.CrossSite()
      const route = request.routeOptions.config
      if (route.signedOut) return
      const session = await sessions.find(request.cookies[SESSION_COOKIE])
      if (!session) return signedOut(request, reply)
      if (!safe && !sameText(request.headers['x-csrf-token'], session.csrfToken)) {
        throw new errors.Csrf('The x-csrf-token header is missing or does not match this session')
      }
      const user = await users.get(session.userId)
      if (!user || user.disabled) {
        await sessions.end(session)
        return signedOut(request, reply)
      }
      request.consoleSession = session
      request.consoleUser = user
      request.principal = { sub: user.username, role: user.role }
      if (user.mustChangePassword && !route.beforePasswordChange) throw passwordChangeRequired()
      if (route.roles && !route.roles.includes(user.role))
        throw new errors.RoleRefused(route.roles.join(' or '), user.role)
    })
  },
  { name: 'console-session-guard', dependencies: ['console-domain', '@fastify/cookie'] },
)
