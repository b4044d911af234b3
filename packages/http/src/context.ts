import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Logger } from 'pino'

declare module 'fastify' {
  interface FastifyRequest {
    /** Carried from the `x-correlation-id` header (or this request's id) into events and downstream logs. */
    correlationId: string
  }
}

const validId = /^[\w.:-]{1,128}$/

export const correlationPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('correlationId', '')
    app.addHook('onRequest', (request, reply, done) => {
      const given = request.headers['x-correlation-id']
      request.correlationId = typeof given === 'string' && validId.test(given) ? given : request.id
      // request.log is this request's own child logger: adding to it costs less than another child.
      ;(request.log as Logger).setBindings({ correlationId: request.correlationId })
      reply.header('x-request-id', request.id)
      reply.header('x-correlation-id', request.correlationId)
      done()
    })
  },
  { name: 'ccm-correlation' },
)

/** Who is writing and on behalf of which request: recorded on audit rows and events. */
export interface WriteContext {
  actor: string
  correlationId: string
}

export function writeContext(request: FastifyRequest): WriteContext {
  if (!request.principal) throw new Error('writeContext called on an unauthenticated request')
  return { actor: request.principal.sub, correlationId: request.correlationId }
}
