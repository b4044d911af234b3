import type { Events } from '@ccm/events'
import type { Role, WriteContext } from '@ccm/http'
import { invalidInput } from '@ccm/http'
import { errors } from '../errors.ts'
import type { User, UserChanges, UsersRepository } from '../repositories/users.ts'
import { hashPassword, MIN_PASSWORD_LENGTH, oneTimePassword, verifyPassword } from './passwords.ts'
import type { SessionStore } from './sessions.ts'

interface Dependencies {
  users: UsersRepository
  events: Pick<Events, 'withWrites'>
  /** Ends a user's sessions where access is taken away. */
  sessions: Pick<SessionStore, 'endAll'>
}

/** What the audit log keeps of a user: never the password hash. */
const audited = (user: User | null) => user && { ...user }

/**
 * Users and their passwords. Every write is audited with who made it; a change that takes away access (disabled, a new
 * role, a password reset) ends the user's sessions once committed.
 */
export function createUsersService({ users, events, sessions }: Dependencies) {
  const audit = (context: WriteContext, action: string, before: User | null, after: User | null) => ({
    actor: context.actor,
    correlationId: context.correlationId,
    entityType: 'user',
    entityId: (after ?? before)!.id,
    action,
    before: audited(before),
    after: audited(after),
  })

  return {
    async create(
      input: { username: string; displayName: string; role: Role },
      context: WriteContext,
    ): Promise<{ user: User; oneTimePassword: string }> {
      const password = oneTimePassword()
      const passwordHash = await hashPassword(password)
      const user = await events.withWrites(async ({ client, writes }) => {
        const created = await users.insert({ ...input, passwordHash }, client)
        if (!created) throw new errors.UsernameTaken(input.username.toLowerCase())
        writes.audit(audit(context, 'user.created', null, created))
        return created
      })
      return { user, oneTimePassword: password }
    },

    async update(id: string, version: number, changes: UserChanges, context: WriteContext): Promise<User> {
      const { before, after } = await events.withWrites(async ({ client, writes }) => {
        const takesAdmin = changes.disabled === true || (changes.role !== undefined && changes.role !== 'admin')
        const admins = takesAdmin ? await users.lockActiveAdmins(client) : []
        const before = await users.get(id, client, true)
        if (!before) throw new errors.UserNotFound(id)
        if (before.version !== version) throw new errors.StaleVersion(before.version, version)
        if (takesAdmin && admins.includes(id) && admins.length === 1) throw new errors.LastAdmin()
        const after = (await users.update(id, version, changes, client))!
        writes.audit(audit(context, 'user.updated', before, after))
        return { before, after }
      })
      if (after.disabled !== before.disabled || after.role !== before.role) await sessions.endAll(id)
      return after
    },

    /** A new one-time password, to be changed at the next sign-in; the user's sessions end. */
    async resetPassword(id: string, context: WriteContext): Promise<string> {
      const password = oneTimePassword()
      const passwordHash = await hashPassword(password)
      await events.withWrites(async ({ client, writes }) => {
        const before = await users.get(id, client, true)
        if (!before) throw new errors.UserNotFound(id)
        const after = await users.setPassword(id, passwordHash, true, client)
        writes.audit(audit(context, 'user.password_reset', before, after))
      })
      await sessions.endAll(id)
      return password
    },

    /** The signed-in user's own change; 400 naming the field when the current password is wrong or the new one weak. */
    async changePassword(id: string, current: string, next: string, context: WriteContext): Promise<User> {
      if (next.length < MIN_PASSWORD_LENGTH)
        throw invalidInput('body.newPassword', `must be at least ${MIN_PASSWORD_LENGTH} characters`)
      if (next === current) throw invalidInput('body.newPassword', 'must differ from the current password')
      if (!(await verifyPassword(await users.passwordHash(id), current)))
        throw invalidInput('body.currentPassword', 'is not your current password')
      const passwordHash = await hashPassword(next)
      return events.withWrites(async ({ client, writes }) => {
        const before = await users.get(id, client, true)
        if (!before) throw new errors.UserNotFound(id)
        const after = await users.setPassword(id, passwordHash, false, client)
        writes.audit(audit(context, 'user.password_changed', before, after))
        return after
      })
    },

    /**
     * The first admin of a fresh install, made when there is no user at all; its one-time password, or null when users
     * exist already. An advisory lock makes two starts at once make one admin.
     */
    async bootstrap(context: WriteContext): Promise<string | null> {
      const password = oneTimePassword()
      const passwordHash = await hashPassword(password)
      return events.withWrites(async ({ client, writes }) => {
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('console.bootstrap'))`)
        if ((await users.count(client)) > 0) return null
        const admin = await users.insert(
          { username: 'admin', displayName: 'Administrator', role: 'admin', passwordHash },
          client,
        )
        writes.audit(audit(context, 'user.created', null, admin!))
        return password
      })
    },
  }
}

export type UsersService = ReturnType<typeof createUsersService>
