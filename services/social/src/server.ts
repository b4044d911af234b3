import { serve } from '@ccm/http'
import { buildApp } from './app.ts'
import { readConfig } from './config.ts'

const config = readConfig()
// A graceful close lets the scheduler settle the platform calls under way, each bounded by the publish timeout.
await serve(await buildApp(config), {
  host: config.HOST,
  port: config.SOCIAL_PORT,
  metricsPort: config.SOCIAL_METRICS_PORT,
  closeDelayMs: config.SOCIAL_PUBLISH_TIMEOUT_MS + 10_000,
})
