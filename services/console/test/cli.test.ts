import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { createPool } from '@ccm/db'
import { createTestDatabase, testEnv } from '@ccm/testing'
import { migrations } from '../src/migrations.ts'
import { verifyPassword } from '../src/services/passwords.ts'

const run = promisify(execFile)
const serviceDir = new URL('..', import.meta.url).pathname

/** A console command in its own process, as npm runs it, under the test runner's TypeScript loader. */
async function command(env: NodeJS.ProcessEnv, script: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [...process.execArgv, script, ...args], {
      cwd: serviceDir,
      env,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

t.test('the first start makes one admin, once, and the users command manages the rest', async (t) => {
  const database = await createTestDatabase('ccm_console', migrations)
  const db = createPool(database.url, { max: 2 })
  t.teardown(async () => {
    await db.end()
    await database.drop()
  })
  const env = testEnv({ CONSOLE_DATABASE_URL: database.url })
  const user = async (username: string) =>
    (await db.query('SELECT * FROM users WHERE username = $1', [username])).rows[0] as Record<string, any> | undefined

  const first = await command(env, 'src/cli/migrate.ts')
  t.equal(first.code, 0, first.stderr)
  const password = first.stdout.match(/username admin, one-time password (\S+)/)?.[1]
  t.ok(password, 'the one-time password is printed')
  const admin = await user('admin')
  t.match(admin, { role: 'admin', must_change_password: true, disabled: false })
  t.match(admin!.password_hash, /^\$argon2id\$/, 'hashed with argon2id')
  t.ok(await verifyPassword(admin!.password_hash, password!), 'the printed password is the one stored')

  const second = await command(env, 'src/cli/migrate.ts')
  t.equal(second.code, 0)
  t.notMatch(second.stdout, /password/, 'a later start prints nothing about it')
  t.equal((await db.query('SELECT count(*)::int AS n FROM users')).rows[0].n, 1, 'still one user')

  const added = await command(
    env,
    'src/cli/users.ts',
    'add',
    'Marie.Dupont',
    '--role',
    'editor',
    '--name',
    'Marie Dupont',
  )
  t.equal(added.code, 0, added.stderr)
  const addedPassword = added.stdout.trim().split('\n').at(-1)!
  const marie = await user('marie.dupont')
  t.match(marie, { display_name: 'Marie Dupont', role: 'editor', must_change_password: true })
  t.ok(await verifyPassword(marie!.password_hash, addedPassword), 'the printed one-time password signs in')

  const reset = await command(env, 'src/cli/users.ts', 'reset', 'MARIE.DUPONT')
  t.equal(reset.code, 0, reset.stderr)
  const resetPassword = reset.stdout.trim().split('\n').at(-1)!
  t.not(resetPassword, addedPassword)
  t.ok(await verifyPassword((await user('marie.dupont'))!.password_hash, resetPassword))

  const disabled = await command(env, 'src/cli/users.ts', 'disable', 'marie.dupont')
  t.equal(disabled.code, 0, disabled.stderr)
  t.equal((await user('marie.dupont'))!.disabled, true)

  const audit = await db.query(`SELECT actor, action FROM audit_log WHERE entity_type = 'user' ORDER BY id`)
  t.same(
    audit.rows.map((r) => r.action),
    ['user.created', 'user.created', 'user.password_reset', 'user.updated'],
  )
  t.match(audit.rows[1].actor, /^terminal:/, 'written by the person at the terminal')
})
