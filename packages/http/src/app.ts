import { randomUUID } from 'node:crypto'
import Fastify, {
  type FastifyInstance,
  type FastifyBaseLogger,
  type FastifyRequest,
  type RawServerDefault,
} from 'fastify'
import { stdSerializers } from 'pino'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { BaseConfig } from '@ccm/config'
import { authPlugin } from './auth.ts'
import { correlationPlugin } from './context.ts'
import { healthPlugin } from './health.ts'
import { metricsPlugin } from './metrics.ts'
import { clientErrorHandler, frameworkErrors, problemPlugin } from './problem.ts'
import { swaggerPlugin } from './swagger.ts'
import { textPlugin } from './text.ts'

export type HttpApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>

export interface HttpAppOptions {
  name: string
  version?: string
  description?: string
  config: BaseConfig
  /** Where log lines go (stdout by default); tests read them from here. */
  logStream?: { write(line: string): void }
}

/** Secrets that must never reach a log line, wherever they appear in a logged object. */
const redactedPaths = [
  'req.headers.authorization',
  'headers.authorization',
  '*.credentials',
  '*.*.credentials',
  '*.accessToken',
  '*.accessSecret',
  '*.appSecret',
  '*.pageAccessToken',
  '*.refreshToken',
  '*.password',
]

/**
 * A request is logged by its path alone: query strings carry search terms, which are names. Bodies
 * are never logged, nor what Postgres puts in an error's `detail` (`Key (email)=(…) already exists`).
 */
const serializers = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: request.url.split('?')[0],
    host: request.host,
    remoteAddress: request.ip,
  }),
  err: (error: Error) => {
    const {
      detail: _detail,
      where: _where,
      ...rest
    } = stdSerializers.err(error) as ReturnType<typeof stdSerializers.err> & { detail?: unknown; where?: unknown }
    return rest
  },
}

/**
 * The Fastify instance every service starts from: pino logs with request and correlation ids,
 * zod validation, problem+json errors, bearer-token auth on /v1, OpenAPI docs, health and metrics.
 * Infrastructure (Postgres, Redis, Kafka), domain and routes are registered by the service's app.ts.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    logger: {
      level: options.config.LOG_LEVEL,
      base: { service: options.name },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      serializers,
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID()
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A route that takes more (an import, an upload) sets its own `bodyLimit`.
    bodyLimit: 1024 * 1024,
    requestTimeout: options.config.REQUEST_TIMEOUT_MS,
    clientErrorHandler,
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  // Answers sent while closing ask keep-alive clients to hang up, so the server need not wait out
  // their idle connections (Fastify keeps them 72 s) before it can finish shutting down.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  // Hooks on every request take callbacks: an async hook costs a promise per request.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })

  await app.register(problemPlugin)
  await app.register(textPlugin)
  await app.register(correlationPlugin)
  await app.register(swaggerPlugin, {
    title: `ISU-CCM ${options.name}`,
    version: options.version ?? '1.0.0',
    description: options.description,
  })
  await app.register(authPlugin, { config: options.config })
  await app.register(metricsPlugin, { service: options.name })
  await app.register(healthPlugin)
  return app
}
