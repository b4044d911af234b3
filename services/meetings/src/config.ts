import { z } from 'zod'
import { baseConfigSchema, loadConfig } from '@ccm/config'

export const configSchema = baseConfigSchema.extend({
  MEETINGS_PORT: z.coerce.number().int().min(1).max(65535).default(3004),
  /** Prometheus metrics on 127.0.0.1 only; 0 serves none. */
  MEETINGS_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9468),
  MEETINGS_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/ccm_meetings'),
})

export type Config = z.infer<typeof configSchema>

export const readConfig = (env: Record<string, string | undefined> = process.env): Readonly<Config> =>
  loadConfig(configSchema, env)
