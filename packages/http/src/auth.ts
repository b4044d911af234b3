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

/** Every token names this audience, so a token issued for another system with the same secret is refused. */
export const TOKEN_AUDIENCE = 'ccm'

function allowedRoles(request: FastifyRequest): readonly Role[] {
  const configured = request.routeOptions.config.roles
  if (configured) return configured
  return request.method === 'GET' || request.method === 'HEAD' ? readers : writers
}

/**
 * Whether the route the router matched is under /v1. Decided on the route, never on the raw URL:
 * the router also matches `/%761/people`, `/v%31/people` and an absolute-form request line.
 */
export function isApiRoute(request: FastifyRequest): boolean {
  const url = request.routeOptions.url
  return url !== undefined && (url === '/v1' || url.startsWith('/v1/'))
}

/** A token for `principal`, valid for `lifetimeSeconds` (at most JWT_MAX_AGE, which services enforce). */
export async function signToken(
  config: BaseConfig,
  principal: Principal,
  lifetimeSeconds: number = config.JWT_MAX_AGE,
): Promise<string> {
  if (!(lifetimeSeconds > 0 && lifetimeSeconds <= config.JWT_MAX_AGE)) {
    throw new RangeError(
      `A token lives between 1 second and JWT_MAX_AGE (${config.JWT_MAX_AGE} s), not ${lifetimeSeconds} s`,
    )
  }
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ role: principal.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.sub)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .sign(new TextEncoder().encode(jwtSecret(config).secret))
}

/**
 * Tokens already verified, until they expire: a signature check per request would cost more than
 * the database lookup behind most reads. Bounded, so a flood of distinct tokens cannot grow it.
 * Not fast-jwt's cache (through @fastify/jwt): it hashes the token on every hit, 7 µs against 0.15 µs here (2·10⁵
 * hits).
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
    set(token: string, principal: Principal, exp: number) {
      if (entries.size >= maxEntries) entries.clear()
      entries.set(token, { principal, expiresAt: exp * 1000 })
    },
  }
}

/**
 * Every /v1 route needs a valid bearer token whose role the route allows. Both are checked on
 * request, before the body is read, so a caller who may not write cannot make the server parse one.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: { config: BaseConfig }) => {
    const { config } = options
    const { secret, isDevelopmentDefault } = jwtSecret(config)
    if (isDevelopmentDefault && config.NODE_ENV !== 'test') {
      app.log.warn(
        'JWT_SECRET is not set: tokens are signed with the public development secret. Never run like this in ' +
          'production.',
      )
    }
    const key = new TextEncoder().encode(secret)
    const verifyOptions = {
      issuer: config.JWT_ISSUER,
      audience: TOKEN_AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
      maxTokenAge: config.JWT_MAX_AGE, // also requires iat, and refuses one in the future
    }
    const verified = createVerifiedTokenCache()

    async function authenticate(token: string): Promise<Principal> {
      let payload
      try {
        ;({ payload } = await jwtVerify(token, key, verifyOptions))
      } catch (error) {
        const expired = error instanceof joseErrors.JWTExpired
        throw new problemErrors.Unauthorized(expired ? 'The bearer token has expired' : 'The bearer token is not valid')
      }
      if (payload.exp! - payload.iat! > config.JWT_MAX_AGE) {
        throw new problemErrors.Unauthorized(`The bearer token lives longer than the ${config.JWT_MAX_AGE} s allowed`)
      }
      const role = payload.role as Role
      if (typeof payload.sub !== 'string' || payload.sub.trim() === '' || !roles.includes(role)) {
        throw new problemErrors.Unauthorized('The bearer token names no subject or no known role')
      }
      const principal = { sub: payload.sub, role }
      verified.set(token, principal, payload.exp!)
      return principal
    }

    app.decorateRequest('principal', null)
    app.addHook('onRequest', async (request) => {
      if (!isApiRoute(request)) return
      const header = request.headers.authorization
      const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1]
      if (!token) throw new problemErrors.Unauthorized('A bearer token is required (Authorization: Bearer <token>)')
      const principal = verified.get(token) ?? (await authenticate(token))
      request.principal = principal
      ;(request.log as Logger).setBindings({ actor: principal.sub })
      const allowed = allowedRoles(request)
      if (!allowed.includes(principal.role)) {
        throw new problemErrors.Forbidden(
          `This action needs one of the roles: ${allowed.join(', ')} (you are ${principal.role})`,
        )
      }
    })
  },
  { name: 'ccm-auth', dependencies: ['ccm-problem'] },
)
