import type { Test } from 'tap'
import { bearer, createTestDatabase, testEnv, type TestDatabase } from '@ccm/testing'
import type { Role } from '@ccm/http'
import { buildApp } from '../src/app.ts'
import { readConfig, type Config } from '../src/config.ts'
import { migrations } from '../src/migrations.ts'

/** A database and Kafka topics of this test's own. */
export interface World {
  database: TestDatabase
  config: Readonly<Config>
}

export async function createWorld(t: Test, overrides: Record<string, string> = {}): Promise<World> {
  const database = await createTestDatabase('ccm_meetings', migrations)
  const config: Readonly<Config> = readConfig(testEnv({ MEETINGS_DATABASE_URL: database.url, ...overrides }))
  t.teardown(() => database.drop())
  return { database, config }
}

/** The real meetings app over a world of its own; closed when the test ends. */
export async function build(t: Test, overrides: Record<string, string> = {}) {
  const world = await createWorld(t, overrides)
  const app = await buildApp(world.config)
  await app.ready()
  t.teardown(() => app.close())
  const as = async (role: Role, sub?: string) => ({ authorization: await bearer(world.config, role, sub) })
  return { app, world, config: world.config, as }
}
