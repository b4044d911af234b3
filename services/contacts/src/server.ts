import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.ts'
import { readConfig } from './config.ts'

const config = readConfig()
const app = await buildApp(config)

// Stop accepting, drain requests, stop consumers, flush the outbox relay, close pools: all in app.close().
closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error')
  else app.log.info({ signal }, 'shutting down')
  await app.close()
})

await app.listen({ host: config.HOST, port: config.CONTACTS_PORT })
