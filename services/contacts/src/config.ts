import { z } from 'zod'
import { baseConfigSchema, loadConfig } from '@ccm/config'

export const configSchema = baseConfigSchema.extend({
  CONTACTS_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  /** Prometheus metrics on 127.0.0.1 only; 0 serves none. */
  CONTACTS_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  CONTACTS_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/ccm_contacts'),
  CONTACTS_WITHDRAWAL_SWEEP_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(60 * 60 * 1000),
  /** How soon after a commit the people it queued have their matching keys settled (the listing settles first too). */
  CONTACTS_MATCH_KEYS_SWEEP_MS: z.coerce.number().int().positive().default(1000),
  /**
   * A CSV import's limits: its size in bytes (the import route's body limit), its rows, and imports running at once.
   */
  CONTACTS_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(50 * 1024 * 1024),
  CONTACTS_IMPORT_MAX_ROWS: z.coerce.number().int().min(1).default(200_000),
  CONTACTS_IMPORT_CONCURRENCY: z.coerce.number().int().min(1).default(2),
})

export type Config = z.infer<typeof configSchema>

export const readConfig = (env: Record<string, string | undefined> = process.env): Readonly<Config> =>
  loadConfig(configSchema, env)
