import type { Test } from 'tap'
import { bearer, createTestDatabase, uniqueTopicPrefix } from '@ccm/testing'
import type { Role } from '@ccm/http'
import { buildApp } from '../src/app.ts'
import { readConfig, type Config } from '../src/config.ts'
import { migrations } from '../src/migrations.ts'
import { seedStates } from '../src/services/seed.ts'

/**
 * The real contacts app over a database and Kafka topics of this test's own, seeded with the 197
 * states; torn down (app closed, database dropped) when the test ends.
 */
export async function build(
  t: Test,
  overrides: Record<string, string> = {},
  options: { beforeReady?: (app: Awaited<ReturnType<typeof buildApp>>) => void } = {},
) {
  const database = await createTestDatabase('ccm_contacts', migrations)
  const config: Readonly<Config> = readConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    CONTACTS_DATABASE_URL: database.url,
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    OUTBOX_POLL_MS: '200',
    RATE_LIMIT_PER_MINUTE: '100000',
    ...overrides,
  })
  const app = await buildApp(config)
  await seedStates(app.db)
  // Consumers registered here start with the app, as a service's own would.
  options.beforeReady?.(app)
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await database.drop()
  })
  const as = async (role: Role, sub?: string) => ({ authorization: await bearer(config, role, sub) })
  return { app, config, database, as }
}
