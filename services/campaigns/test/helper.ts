import type { Test } from 'tap'
import { bearer, createTestDatabase, testEnv, type TestDatabase } from '@ccm/testing'
import type { Role } from '@ccm/http'
import { buildApp } from '../src/app.ts'
import { readConfig, type Config } from '../src/config.ts'
import { migrations } from '../src/migrations.ts'

/** A database and Kafka topics of this test's own; apps built on it can stop and start again. */
export interface World {
  database: TestDatabase
  config: Readonly<Config>
}

export async function createWorld(t: Test, overrides: Record<string, string> = {}): Promise<World> {
  const database = await createTestDatabase('ccm_campaigns', migrations)
  const config: Readonly<Config> = readConfig(testEnv({ CAMPAIGNS_DATABASE_URL: database.url, ...overrides }))
  t.teardown(() => database.drop())
  return { database, config }
}

/** The real campaigns app over the world; closed when the test ends, or earlier by the test itself. */
export async function startApp(t: Test, world: World) {
  const app = await buildApp(world.config)
  await app.ready()
  let closed: Promise<void> | null = null
  const close = () => (closed ??= app.close())
  t.teardown(close)
  return { app, close }
}

export async function build(t: Test, overrides: Record<string, string> = {}) {
  const world = await createWorld(t, overrides)
  const { app, close } = await startApp(t, world)
  const as = async (role: Role, sub?: string) => ({ authorization: await bearer(world.config, role, sub) })
  return { app, close, world, config: world.config, as }
}
