import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import createError from '@fastify/error'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'

/** Generic errors with a caller-supplied detail; services define their own named codes in errors.ts. */
export const problemErrors = {
  Unauthorized: createError('UNAUTHORIZED', '%s', 401),
  Forbidden: createError('FORBIDDEN', '%s', 403),
  NotFound: createError('NOT_FOUND', '%s', 404),
  Conflict: createError('CONFLICT', '%s', 409),
  BadRequest: createError('BAD_REQUEST', '%s', 400),
  /** What only the service can check (a referenced record, a header): answered like a schema validation failure. */
  Invalid: createError('VALIDATION', '%s', 400),
  /** Overload, not a fault: answered with Retry-After (the error's `retryAfter` seconds, else 1). */
  Unavailable: createError('SERVICE_UNAVAILABLE', '%s', 503),
}

export interface InvalidParam {
  /** Where the bad value is: `body.date`, `query.status`, `params.iso3`. */
  name: string
  reason: string
}

/**
 * The one 400 for input the schemas let through but the service refuses: problem+json shaped like a
 * schema validation failure (`urn:ccm:problem:validation`, code `VALIDATION`), naming each field in
 * `invalidParams` (`body.country`, `headers.if-match`) with its reason.
 */
export function invalidInput(name: string, reason: string): FastifyError
export function invalidInput(params: InvalidParam[]): FastifyError
export function invalidInput(nameOrParams: string | InvalidParam[], reason = ''): FastifyError {
  const params = typeof nameOrParams === 'string' ? [{ name: nameOrParams, reason }] : nameOrParams
  const error = new problemErrors.Invalid(params.map((p) => `${p.name}: ${p.reason}`).join('; '))
  return Object.assign(error, { problem: { invalidParams: params } })
}

interface ValidationIssue {
  instancePath?: string
  message?: string
  params?: { issue?: { path?: PropertyKey[] }; missingProperty?: string }
}

const contextNames: Record<string, string> = {
  querystring: 'query',
  body: 'body',
  params: 'params',
  headers: 'headers',
}

function invalidParams(error: FastifyError): InvalidParam[] {
  const where = contextNames[error.validationContext ?? 'body'] ?? 'body'
  return ((error.validation ?? []) as ValidationIssue[]).map((issue) => {
    const path = issue.params?.issue?.path?.map(String) ?? (issue.instancePath ?? '').split('/').filter(Boolean)
    if (issue.params?.missingProperty) path.push(issue.params.missingProperty)
    return { name: [where, ...path].join('.'), reason: issue.message ?? 'is invalid' }
  })
}

const clientErrors: Record<string, { status: number; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request was not received in time' },
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request line and headers are too large' },
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (a malformed request line, headers
 * too large, a request too slow) is answered on the socket, as problem+json like every other error.
 * The error is not logged: its raw packet may hold what the client sent.
 */
export function clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const { status, detail } = clientErrors[error.code ?? ''] ?? {
    status: 400,
    detail: 'The request could not be parsed as HTTP',
  }
  const body = JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status], status, detail })
  this.log.debug({ code: error.code, status }, 'client error')
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy()
}

/** What the router refuses before a route is chosen (a path that does not decode, a parameter over 100 characters). */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400
  reply
    .status(status)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      title: STATUS_CODES[status],
      status,
      detail:
        status === 414
          ? 'A path parameter is too long'
          : status < 500
            ? 'The path could not be decoded'
            : 'The request could not be routed',
      requestId: request.id,
    })
}

/**
 * One error handler for every service: RFC 9457 problem+json. 4xx keep their message (it is meant
 * for the caller); 5xx are logged with their stack and answered with a generic text, never internals.
 */
export const problemPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      // @ccm/db's DatabaseBusyError: overload, answered like any other 503 of ours.
      if (error.code === 'DATABASE_BUSY') Object.assign(error, { code: 'SERVICE_UNAVAILABLE', statusCode: 503 })
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
      const problem: Record<string, unknown> = {
        type: error.code && status < 500 ? `urn:ccm:problem:${error.code.toLowerCase()}` : 'about:blank',
        title: STATUS_CODES[status] ?? 'Error',
        status,
        instance: request.url,
      }
      if (error.validation) {
        const params = invalidParams(error)
        problem.type = 'urn:ccm:problem:validation'
        problem.detail = params.map((p) => `${p.name}: ${p.reason}`).join('; ')
        problem.code = 'VALIDATION'
        problem.invalidParams = params
      } else if (error.code === 'SERVICE_UNAVAILABLE') {
        request.log.warn({ err: error }, 'request refused: service busy')
        problem.type = 'urn:ccm:problem:service_unavailable'
        problem.detail = error.message
        problem.code = error.code
        reply.header('retry-after', String((error as { retryAfter?: number }).retryAfter ?? 1))
      } else if (status >= 500) {
        request.log.error({ err: error }, 'request failed')
        problem.detail = 'An unexpected error occurred; it has been logged.'
      } else {
        problem.detail = error.message
        if (error.code) problem.code = error.code
        const extra = (error as { problem?: Record<string, unknown> }).problem
        if (extra) Object.assign(problem, extra)
      }
      problem.requestId = request.id
      return reply.status(status).type('application/problem+json').send(problem)
    })
    app.setNotFoundHandler((request, reply) => {
      return reply
        .status(404)
        .type('application/problem+json')
        .send({
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          detail: `No route ${request.method} ${request.url.split('?')[0]}`,
          instance: request.url,
        })
    })
  },
  { name: 'ccm-problem' },
)
