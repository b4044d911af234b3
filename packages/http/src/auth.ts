import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose'
import { jwtSecret, type BaseConfig } from '@ccm/config'
import { problemErrors } from './problem.ts'
import type { Logger } from 'pino'

export const roles = ['admin', 'editor', 'viewer'] as const
export type Role = (typeof roles)[number]

export interface Principal {
  /** The person behind the token; recorded as the actor of every write. */
  sub: string
  role: Role
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
  interface FastifyContextConfig {
    /** Roles allowed on this route. Default: every role may read (GET), editors and admins may write. */
    roles?: readonly Role[]
  }
}

const readers: readonly Role[] = roles
const writers: readonly Role[] = ['admin', 'editor']

function allowedRoles(request: FastifyRequest): readonly Role[] {
  const configured = request.routeOptions.config.roles
  if (configured) return configured
  return request.method === 'GET' || request.method === 'HEAD' ? readers : writers
}

export async function signToken(
  config: BaseConfig,
  principal: Principal,
  expiresIn: string | number = '12h',
): Promise<string> {
  return new SignJWT({ role: principal.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.sub)
    .setIssuer(config.JWT_ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(jwtSecret(config).secret))
}

/**
 * Tokens already verified, until they expire: a signature check per request would cost more than
 * the database lookup behind most reads. Bounded, so a flood of distinct tokens cannot grow it.
 */
function createVerifiedTokenCache(maxEntries = 10_000) {
  const entries = new Map<string, { principal: Principal; expiresAt: number }>()
  return {
    get(token: string): Principal | undefined {
      const entry = entries.get(token)
      if (!entry) return undefined
      if (entry.expiresAt <= Date.now()) {
        entries.delete(token)
        return undefined
      }
      return entry.principal
    },
    set(token: string, principal: Principal, exp: number | undefined) {
      if (exp === undefined) return // a token that never expires is checked every time
      if (entries.size >= maxEntries) entries.clear()
      entries.set(token, { principal, expiresAt: exp * 1000 })
    },
  }
}

/** Every route under /v1 needs a valid bearer token whose role the route allows. */
export const authPlugin = fp(
  async (app: FastifyInstance, options: { config: BaseConfig }) => {
    const { secret, isDevelopmentDefault } = jwtSecret(options.config)
    if (isDevelopmentDefault && options.config.NODE_ENV !== 'test') {
      app.log.warn('JWT_SECRET is not set: tokens are signed with the public development secret. Never run like this in production.')
    }
    const key = new TextEncoder().encode(secret)
    const verified = createVerifiedTokenCache()

    app.decorateRequest('principal', null)
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/v1/') && request.url !== '/v1') return
      const header = request.headers.authorization
      const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1]
      if (!token) throw new problemErrors.Unauthorized('A bearer token is required (Authorization: Bearer <token>)')
      let principal = verified.get(token)
      if (!principal) {
        let payload
        try {
          ;({ payload } = await jwtVerify(token, key, { issuer: options.config.JWT_ISSUER, algorithms: ['HS256'] }))
        } catch (error) {
          const expired = error instanceof joseErrors.JWTExpired
          throw new problemErrors.Unauthorized(expired ? 'The bearer token has expired' : 'The bearer token is not valid')
        }
        const role = payload.role as Role
        if (typeof payload.sub !== 'string' || !roles.includes(role)) {
          throw new problemErrors.Unauthorized('The bearer token names no subject or no known role')
        }
        principal = { sub: payload.sub, role }
        verified.set(token, principal, payload.exp)
      }
      request.principal = principal
      ;(request.log as Logger).setBindings({ actor: principal.sub })
    })
    // Roles are checked once the route is known (the 404 for an unknown path comes first).
    app.addHook('preHandler', (request, _reply, done) => {
      const allowed = request.principal ? allowedRoles(request) : null
      if (allowed && !allowed.includes(request.principal!.role)) {
        return done(new problemErrors.Forbidden(`This action needs one of the roles: ${allowed.join(', ')} (you are ${request.principal!.role})`))
      }
      done()
    })
  },
  { name: 'ccm-auth', dependencies: ['ccm-problem'] },
)
