import type { Test } from 'tap'
import type { Role } from '@ccm/http'
import { createTestDatabase, testEnv } from '@ccm/testing'
import { buildApp } from '../src/app.ts'
import { readConfig, type Config } from '../src/config.ts'
import { migrations } from '../src/migrations.ts'
import { SESSION_COOKIE } from '../src/session-guard.ts'
import { hashPassword } from '../src/services/passwords.ts'

export type ConsoleApp = Awaited<ReturnType<typeof buildApp>>

/** A signed-in browser: its cookie and CSRF token, as headers for inject. */
export interface Browser {
  cookie: string
  csrfToken: string
  /** Headers for a read. */
  reads: { cookie: string }
  /** Headers for a write: the cookie, the CSRF token and a same-site Origin. */
  writes: { cookie: string; 'x-csrf-token': string; origin: string }
}

export const TEST_PASSWORD = 'correct horse battery staple'
let userCount = 0

/**
 * The real console app over a database and Kafka topics of this test's own, with Redis; torn down (app closed,
 * database dropped) when the test ends. Sign-in limits are wide unless `overrides` narrow them.
 */
export async function build(t: Test, overrides: Record<string, string> = {}) {
  const database = await createTestDatabase('ccm_console', migrations)
  const config: Readonly<Config> = readConfig(
    testEnv({
      CONSOLE_DATABASE_URL: database.url,
      CONSOLE_METRICS_PORT: '0',
      CONSOLE_SIGNIN_MAX_PER_ACCOUNT: '1000',
      CONSOLE_SIGNIN_MAX_PER_ADDRESS: '1000',
      CONSOLE_WEB_DIST: '/nonexistent/console-dist',
      ...overrides,
    }),
  )
  const app = await buildApp(config)
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await database.drop()
  })

  /** A user with a known password (TEST_PASSWORD), who need not change it unless `mustChangePassword`. */
  async function createUser(role: Role, options: { mustChangePassword?: boolean; username?: string } = {}) {
    const username = options.username ?? `${role}-${process.pid}-${++userCount}`
    const { user } = await app.console.usersService.create(
      { username, displayName: `Test ${role}`, role },
      { actor: 'test', correlationId: 'test' },
    )
    const updated = await app.console.users.setPassword(
      user.id,
      await hashPassword(TEST_PASSWORD),
      options.mustChangePassword ?? false,
    )
    return { ...updated, password: TEST_PASSWORD }
  }

  async function signIn(username: string, password = TEST_PASSWORD, remoteAddress?: string): Promise<Browser> {
    const response = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username, password },
      ...(remoteAddress ? { remoteAddress } : {}),
    })
    if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`)
    const cookie = `${SESSION_COOKIE}=${response.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`
    const { csrfToken } = response.json() as { csrfToken: string }
    return {
      cookie,
      csrfToken,
      reads: { cookie },
      writes: { cookie, 'x-csrf-token': csrfToken, origin: 'http://localhost' },
    }
  }

  async function signedIn(role: Role) {
    const user = await createUser(role)
    return { user, browser: await signIn(user.username) }
  }

  return { app, config, database, createUser, signIn, signedIn }
}
