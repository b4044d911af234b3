import { z } from 'zod'

export { unreachable } from './unreachable.ts'

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true')
/** `KEY=` in an env file means unset. */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional())

/**
 * How the services reach Kafka securely, and how long a Postgres statement may run. With
 * KAFKA_SASL_MECHANISM set, the username and password are required (checked in loadConfig).
 */
const connectionSettings = {
  KAFKA_SASL_MECHANISM: optional(z.enum(['scram-sha-256', 'scram-sha-512', 'plain'])),
  KAFKA_SASL_USERNAME: optional(z.string()),
  KAFKA_SASL_PASSWORD: optional(z.string()),
  /** TLS to the brokers, verified against the system's certificate authorities. */
  KAFKA_SSL: flag,
  /** A statement running longer is cancelled by Postgres: a request gets 503 instead of hanging. 0 turns it off. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(30_000),
}

/**
 * Settings every service shares. A service extends this shape with its own keys and parses
 * `process.env` once, at start-up; the result is frozen and passed in, so nothing else reads the
 * environment. Every key and its default is listed in `.env.example`.
 */
const durationPattern = /^\d+\s*[smhd]?$/

/** `12h`, `30m`, `90s`, `1d`, or a number of seconds, in seconds; undefined if it is none of these. */
export function durationSeconds(text: string): number | undefined {
  if (!durationPattern.test(text.trim())) return undefined
  return Number.parseInt(text, 10) * ({ s: 1, m: 60, h: 3600, d: 86_400 }[text.trim().slice(-1)] ?? 1)
}

const duration = z
  .string()
  .regex(durationPattern, 'must be a duration such as 12h, 30m, 90s or a number of seconds')
  .transform((s) => durationSeconds(s)!)

export const baseConfigSchema = z.object({
  /**
   * Only `development` and `test` may fall back on the public development secrets; anything else, unset included, needs
   * real ones.
   */
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    ),
  /** Prefixes every topic name; tests use it to give each run topics of its own. */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  JWT_SECRET: z.string().min(32).optional(),
  JWT_ISSUER: z.string().default('ccm-isu'),
  /** The longest lifetime (exp − iat) a token may have; a longer-lived one is refused. */
  JWT_MAX_AGE: duration.prefault('12h'),
  /** The longest a client may take to send a whole request (Fastify's requestTimeout); answered 408. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /** Requests per client per minute; 0 turns the limit off (behind a gateway that limits already). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().nonnegative().default(600),
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(1000),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  /** How long a request waits for a free database connection before it is answered 503 with Retry-After. */
  DATABASE_POOL_WAIT_MS: z.coerce.number().int().positive().default(5000),
  ...connectionSettings,
})

export type BaseConfig = z.infer<typeof baseConfigSchema>

/** Used only where NODE_ENV is development or test, with a warning in development. */
const DEVELOPMENT_JWT_SECRET = 'development-only-secret-do-not-use-in-production!'

export class ConfigError extends Error {
  override name = 'ConfigError'
}

// Any input type: the environment's strings go in, and each service's schema coerces them its own way.
export function loadConfig<S extends z.ZodType<BaseConfig & Record<string, unknown>, any>>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.infer<S>> {
  const parsed = schema.superRefine(saslComplete).safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')
    throw new ConfigError(`Invalid configuration:\n${problems}`)
  }
  const config = parsed.data as z.infer<S>
  requireSecret(config, 'JWT_SECRET', 'at least 32 characters')
  return Object.freeze(config)
}

/** A SASL mechanism needs its credentials: refused at start-up, naming the missing setting. */
function saslComplete(config: BaseConfig, context: z.RefinementCtx): void {
  if (!config.KAFKA_SASL_MECHANISM) return
  for (const key of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
    if (!config[key])
      context.addIssue({
        code: 'custom',
        path: [key],
        message: `required when KAFKA_SASL_MECHANISM is ${config.KAFKA_SASL_MECHANISM}`,
      })
  }
}

/**
 * The public development secrets are known to anyone with the source, so they serve only where
 * NODE_ENV says so explicitly: a forgotten NODE_ENV must not quietly run a server anyone can sign for.
 */
export function allowsDevelopmentSecrets(config: BaseConfig): boolean {
  return config.NODE_ENV === 'development' || config.NODE_ENV === 'test'
}

/** Refuses to start without the secret `name` unless development secrets are allowed. */
export function requireSecret(config: BaseConfig & Record<string, unknown>, name: string, shape: string): void {
  if (!config[name] && !allowsDevelopmentSecrets(config)) {
    throw new ConfigError(
      `${name} is required (${shape}) ` +
        `unless NODE_ENV is development or test (NODE_ENV is ${config.NODE_ENV ?? 'unset'})`,
    )
  }
}

/** The secret tokens are signed with; the development default only where allowsDevelopmentSecrets. */
export function jwtSecret(config: BaseConfig): { secret: string; isDevelopmentDefault: boolean } {
  if (config.JWT_SECRET) return { secret: config.JWT_SECRET, isDevelopmentDefault: false }
  if (!allowsDevelopmentSecrets(config))
    throw new ConfigError('JWT_SECRET is required unless NODE_ENV is development or test')
  return { secret: DEVELOPMENT_JWT_SECRET, isDevelopmentDefault: true }
}
