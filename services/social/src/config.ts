import { z } from 'zod'
import { baseConfigSchema, ConfigError, loadConfig, requireSecret } from '@ccm/config'

/** Used only when NODE_ENV is development or test, with a loud warning outside tests. */
export const DEVELOPMENT_CREDENTIALS_KEYS = `dev:${Buffer.from('development-only-key-never-prod!').toString('base64')}`

export interface CredentialsKey {
  id: string
  key: Buffer
}

const KEY_ID = /^[A-Za-z0-9._-]{1,32}$/

/** `id:base64key,…`, the current key first: each 32 bytes, ids unique. */
const credentialsKeys = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        const at = entry.indexOf(':')
        return { id: entry.slice(0, at), key: entry.slice(at + 1) }
      }),
  )
  .superRefine((keys, ctx) => {
    if (keys.length === 0)
      ctx.addIssue({ code: 'custom', message: 'list at least one key: id:base64key, the current one first' })
    keys.forEach(({ id, key }, i) => {
      if (!KEY_ID.test(id))
        ctx.addIssue({
          code: 'custom',
          message: `key ${i + 1}: needs an id (letters, digits, . _ -) before a colon: id:base64key`,
        })
      else if (Buffer.from(key, 'base64').length !== 32)
        ctx.addIssue({
          code: 'custom',
          message: `key ${id}: must be 32 bytes, base64-encoded (openssl rand -base64 32)`,
        })
      if (keys.findIndex((k) => k.id === id) !== i)
        ctx.addIssue({ code: 'custom', message: `key id ${id} appears twice` })
    })
  })

// Empty values (a copied .env.example) count as unset.
const unsetIfEmpty = (s: unknown) => (s === '' ? undefined : s)

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
  SOCIAL_SCHEDULER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((s) => s === 'true'),
  /** The keys channel credentials are encrypted with: the current one first, then older ones still to be read. */
  SOCIAL_CREDENTIALS_KEYS: z.preprocess(unsetIfEmpty, credentialsKeys.optional()),
  /** Replaced by SOCIAL_CREDENTIALS_KEYS; only read to say so. */
  SOCIAL_CREDENTIALS_KEY: z.preprocess(unsetIfEmpty, z.string().optional()),
  X_API_BASE_URL: z.string().url().default('https://api.x.com'),
  FACEBOOK_GRAPH_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  FACEBOOK_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v23.0'),
})

export type Config = z.infer<typeof configSchema>

export function readConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const config = loadConfig(configSchema, env)
  if (config.SOCIAL_CREDENTIALS_KEY) {
    throw new ConfigError(
      'SOCIAL_CREDENTIALS_KEY is replaced by SOCIAL_CREDENTIALS_KEYS (id:base64key, the current key first): ' +
        'set SOCIAL_CREDENTIALS_KEYS=k1:<the same key> and remove SOCIAL_CREDENTIALS_KEY',
    )
  }
  requireSecret(config, 'SOCIAL_CREDENTIALS_KEYS', 'id:base64key, 32 bytes each, the current key first')
  return config
}

/**
 * The keys channel credentials are sealed with, the current one first; the development default only where readConfig
 * allows it.
 */
export function credentialsKeysOf(config: Config): { keys: CredentialsKey[]; isDevelopmentDefault: boolean } {
  const isDevelopmentDefault = !config.SOCIAL_CREDENTIALS_KEYS
  const keys = config.SOCIAL_CREDENTIALS_KEYS ?? credentialsKeys.parse(DEVELOPMENT_CREDENTIALS_KEYS)
  return { keys: keys.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') })), isDevelopmentDefault }
}
