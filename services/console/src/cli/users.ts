// `npm run users -- add <username> --role <role> [--name "Display Name"] | role <username> <role> |
// reset <username> | disable <username>`: the console's users, managed from a terminal.
import { parseArgs } from 'node:util'
import { userInfo } from 'node:os'
import { Redis } from 'ioredis'
import { createPool } from '@ccm/db'
import { roles, type Role } from '@ccm/http'
import { readConfig } from '../config.ts'
import { createUsersRepository } from '../repositories/users.ts'
import { usernameSchema } from '../schemas/users.ts'
import { createSessionStore } from '../services/sessions.ts'
import { terminalUsersService } from './bootstrap.ts'

const usage = `Usage: npm run users -- add <username> --role <admin|editor|viewer> [--name "Display Name"]
       npm run users -- role <username> <admin|editor|viewer>
       npm run users -- reset <username>
       npm run users -- disable <username>`

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { role: { type: 'string' }, name: { type: 'string' } },
})
const [command, username, roleArgument] = positionals

function fail(message: string, withUsage = true): never {
  console.error(withUsage ? `${message}\n\n${usage}` : message)
  process.exit(2)
}

function roleOf(text: string | undefined): Role {
  if (!roles.includes(text as Role)) fail(`The role must be one of ${roles.join(', ')}`)
  return text as Role
}

if (!command || !username || !['add', 'role', 'reset', 'disable'].includes(command)) fail('Which command, for whom?')

// Like `npm start` and `npm run token`, it assumes development unless NODE_ENV says otherwise.
const config = readConfig({ NODE_ENV: 'development', ...process.env })
const db = createPool(config.CONSOLE_DATABASE_URL, { max: 2 })
const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 })
// Sessions live in Redis: a user disabled, given another role or reset here is signed out everywhere at once.
const sessions = createSessionStore(redis, { idleMs: 1, maxMs: 1 })
const service = terminalUsersService(db, sessions)
const users = createUsersRepository(db)
const context = { actor: `terminal:${userInfo().username}`, correlationId: `cli-${Date.now()}` }

async function existing(name: string) {
  const user = await users.findForSignIn(name)
  if (!user) fail(`No user ${name}`, false)
  return user
}

try {
  await redis.connect()
  if (command === 'add') {
    const role = roleOf(values.role)
    const valid = usernameSchema.safeParse(username)
    if (!valid.success) fail(`The username ${valid.error.issues[0]?.message}`)
    const { user, oneTimePassword } = await service.create(
      { username: username.toLowerCase(), displayName: values.name ?? username, role },
      context,
    )
    console.log(`Added ${user.username} (${user.role}). One-time password, to be changed at first sign-in:`)
    console.log(oneTimePassword)
  } else if (command === 'role') {
    const user = await existing(username)
    const updated = await service.update(user.id, user.version, { role: roleOf(roleArgument) }, context)
    console.log(`${updated.username} is now ${updated.role}; their sessions have ended.`)
  } else if (command === 'reset') {
    const user = await existing(username)
    const password = await service.resetPassword(user.id, context)
    console.log(`New one-time password for ${user.username}, to be changed at their next sign-in:`)
    console.log(password)
  } else {
    const user = await existing(username)
    await service.update(user.id, user.version, { disabled: true }, context)
    console.log(`${user.username} is disabled; their sessions have ended.`)
  }
} catch (error) {
  // Named errors (a taken username, the last admin) are meant for the person at the terminal.
  const named = error as { code?: string; statusCode?: number; message: string }
  if (named.statusCode && named.statusCode < 500) fail(named.message, false)
  throw error
} finally {
  await db.end()
  redis.disconnect()
}
