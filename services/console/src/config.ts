import { z } from 'zod'
import { baseConfigSchema, loadConfig } from '@ccm/config'

const serviceUrl = (port: number) => z.string().url().default(`http://127.0.0.1:${port}`)

export const configSchema = baseConfigSchema.extend({
  CONSOLE_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Prometheus metrics on 127.0.0.1 only; 0 serves none. */
  CONSOLE_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  CONSOLE_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/ccm_console'),
  /** A session unused this long ends (fractions allowed, so a test can wait seconds rather than minutes). */
  CONSOLE_SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  /** A session ends this long after sign-in, however busy. */
  CONSOLE_SESSION_MAX_HOURS: z.coerce.number().positive().default(12),
  /** Failed sign-ins one account, and one address, may make within the window before 429. */
  CONSOLE_SIGNIN_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  CONSOLE_SIGNIN_MAX_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  CONSOLE_SIGNIN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  /** How long a token the console mints for the services lives (seconds, at most JWT_MAX_AGE). */
  CONSOLE_TOKEN_SECONDS: z.coerce.number().int().min(30).default(300),
  /** The comment line that keeps a live stream open, and the check that its session still holds, this often. */
  CONSOLE_LIVE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
  /** The built single-page app; empty: services/console/web/dist. */
  CONSOLE_WEB_DIST: z.string().default(''),
  CONTACTS_URL: serviceUrl(3001),
  CAMPAIGNS_URL: serviceUrl(3002),
  SOCIAL_URL: serviceUrl(3003),
})

export type Config = z.infer<typeof configSchema>

export const readConfig = (env: Record<string, string | undefined> = process.env): Readonly<Config> =>
  loadConfig(configSchema, env)
