import type { FastifyInstance, FastifyRequest } from 'fastify'
import replyFrom from '@fastify/reply-from'
import { problemErrors } from '@ccm/http'
import { errors } from '../errors.ts'

export interface ProxiedService {
  /** `contacts`: served under /api/contacts/v1/…, and named when unreachable. */
  name: string
  url: string
}

/** What the browser sends that the services must not see: its session and its CSRF token. */
const browserOnlyHeaders = ['cookie', 'x-csrf-token', 'authorization']

/**
 * The service path for the matched route's wildcard (the router has decoded it): `/v1/` and its segments, each encoded
 * again, so what the service receives is exactly one path under /v1. A `.` or `..` segment (however it was spelled:
 * `%2e%2e`, `..%2f`) or an empty one is refused rather than normalised into another path.
 */
export function servicePath(wildcard: string): string | null {
  const segments = wildcard.split('/')
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null
  return `/v1/${segments.map(encodeURIComponent).join('/')}`
}

const queryOf = (url: string) => {
  const at = url.indexOf('?')
  return at === -1 ? '' : url.slice(at + 1)
}

/**
 * `/api/<service>/v1/*` to the service, for the signed-in user (the session guard has run): method, query and body as
 * sent (the body streamed, not parsed, so an import or an upload is limited by the service alone), the browser's
 * cookie and CSRF header dropped, a bearer token for the user added. Answers pass through unchanged; an unreachable
 * service is a 503 naming it.
 */
export default async function proxyRoutes(app: FastifyInstance, options: { service: ProxiedService }) {
  const { service } = options
  const { serviceTokens } = app.console
  await app.register(replyFrom, { base: service.url, disableRequestLogging: true })

  // Bodies are streamed to the service as they arrive: this encapsulated context parses none.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload))

  app.all(`/api/${service.name}/v1/*`, { schema: { hide: true } }, async (request: FastifyRequest, reply) => {
    const path = servicePath((request.params as { '*': string })['*'])
    if (path === null) throw new problemErrors.NotFound(`No route ${request.method} ${request.url.split('?')[0]}`)
    const session = request.consoleSession!
    const token = await serviceTokens.tokenFor(session.key, request.principal!)
    return reply.from(path, {
      queryString: () => queryOf(request.url),
      // The one header that names a path of the service's: a Location (an import's 202) made one of the console's.
      rewriteHeaders: (headers) =>
        typeof headers.location === 'string' && headers.location.startsWith('/v1/')
          ? { ...headers, location: `/api/${service.name}${headers.location}` }
          : headers,
      rewriteRequestHeaders: (_request, headers) => {
        const forwarded = { ...headers }
        for (const name of browserOnlyHeaders) delete forwarded[name]
        return { ...forwarded, authorization: `Bearer ${token}`, 'x-correlation-id': request.correlationId }
      },
      onError: (reply, { error }) => {
        request.log.warn({ err: error, service: service.name }, 'service unreachable')
        reply.send(Object.assign(new errors.ServiceUnreachable(service.name), { retryAfter: 2 }))
      },
    })
  })
}
