import { z } from 'zod'
import { baseConfigSchema, loadConfig } from '@ccm/config'

export const configSchema = baseConfigSchema.extend({
  CAMPAIGNS_PORT: z.coerce.number().int().min(1).max(65535).default(3002),
  /** Prometheus metrics on 127.0.0.1 only; 0 serves none. */
  CAMPAIGNS_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9466),
  CAMPAIGNS_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/ccm_campaigns'),
  /** How often `joined` targets whose entry into force has come are moved to `in_force` (also once at start-up). */
  CAMPAIGNS_IN_FORCE_SWEEP_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(60 * 60 * 1000),
})

export type Config = z.infer<typeof configSchema>

export const readConfig = (env: Record<string, string | undefined> = process.env): Readonly<Config> =>
  loadConfig(configSchema, env)
