import { z } from 'zod'
import { allowsDevelopmentSecrets, baseConfigSchema, ConfigError, loadConfig, requireSecret } from '@ccm/config'

/** Used only where NODE_ENV is development or test, with a warning in development; anywhere else the service refuses to start without a key of its own. */
export const DEVELOPMENT_CREDENTIALS_KEY = Buffer.from('development-only-key-never-prod!').toString('base64')

const credentialsKey = z
  .string()
  .refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')

export const configSchema = baseConfigSchema.extend({
  SOCIAL_PORT: z.coerce.number().int().min(0).max(65535).default(3003),
  /** Prometheus metrics on 127.0.0.1 only; 0 serves none. */
  SOCIAL_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9467),
  SOCIAL_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/ccm_social'),
  /** A delivery overdue by more than this when it is found becomes `missed`, for a person to decide. */
  SOCIAL_MISSED_AFTER_MINUTES: z.coerce.number().int().positive().default(360),
  SOCIAL_PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** Deliveries published at once by one instance. */
  SOCIAL_PUBLISH_CONCURRENCY: z.coerce.number().int().positive().default(16),
  /** How often Postgres itself is swept for due deliveries, should the Redis timer index miss one. */
  SOCIAL_SWEEP_MS: z.coerce.number().int().positive().default(5000),
  /** Off for an instance that should serve the API only. */
  SOCIAL_SCHEDULER_ENABLED: z.enum(['true', 'false']).default('true').transform((s) => s === 'true'),
  SOCIAL_CREDENTIALS_KEY: credentialsKey.optional(),
  X_API_BASE_URL: z.string().url().default('https://api.x.com'),
  FACEBOOK_GRAPH_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  FACEBOOK_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v23.0'),
})

export type Config = z.infer<typeof configSchema>

export function readConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const config = loadConfig(configSchema, env)
  requireSecret(config, 'SOCIAL_CREDENTIALS_KEY', '32 bytes, base64')
  return config
}

/** The key channel credentials are encrypted with; the development default only where allowsDevelopmentSecrets. */
export function credentialsKeyOf(config: Config): { key: Buffer; isDevelopmentDefault: boolean } {
  if (config.SOCIAL_CREDENTIALS_KEY) return { key: Buffer.from(config.SOCIAL_CREDENTIALS_KEY, 'base64'), isDevelopmentDefault: false }
  if (!allowsDevelopmentSecrets(config)) throw new ConfigError('SOCIAL_CREDENTIALS_KEY is required unless NODE_ENV is development or test')
  return { key: Buffer.from(DEVELOPMENT_CREDENTIALS_KEY, 'base64'), isDevelopmentDefault: true }
}
