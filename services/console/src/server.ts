import { serve } from '@ccm/http'
import { buildApp } from './app.ts'
import { readConfig } from './config.ts'

const config = readConfig()
await serve(await buildApp(config), {
  host: config.HOST,
  port: config.CONSOLE_PORT,
  metricsPort: config.CONSOLE_METRICS_PORT,
})
