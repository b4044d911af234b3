import type { Queryable } from '@ccm/db'
import type { Role } from '@ccm/http'

export interface User {
  id: string
  username: string
  displayName: string
  role: Role
  disabled: boolean
  mustChangePassword: boolean
  createdAt: string
  updatedAt: string
  version: number
}

export type UserChanges = Partial<Pick<User, 'displayName' | 'role' | 'disabled' | 'mustChangePassword'>>

type Row = Record<string, any> // pg rows are untyped; mapped to User here only

const columns = 'id, username, display_name, role, disabled, must_change_password, created_at, updated_at, version'

const toUser = (r: Row): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  disabled: r.disabled,
  mustChangePassword: r.must_change_password,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  version: r.version,
})

const changeColumns = {
  displayName: 'display_name',
  role: 'role',
  disabled: 'disabled',
  mustChangePassword: 'must_change_password',
} as const

export function createUsersRepository(db: Queryable) {
  return {
    async list(client: Queryable = db): Promise<User[]> {
      const { rows } = await client.query(`SELECT ${columns} FROM users ORDER BY username`)
      return rows.map(toUser)
    },

    async get(id: string, client: Queryable = db, lock = false): Promise<User | null> {
      const { rows } = await client.query(`SELECT ${columns} FROM users WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
        id,
      ])
      return rows[0] ? toUser(rows[0]) : null
    },

    /** The user and their password hash, for sign-in; `username` in any case. */
    async findForSignIn(username: string, client: Queryable = db): Promise<(User & { passwordHash: string }) | null> {
      const { rows } = await client.query(`SELECT ${columns}, password_hash FROM users WHERE username = lower($1)`, [
        username,
      ])
      return rows[0] ? { ...toUser(rows[0]), passwordHash: rows[0].password_hash } : null
    },

    async passwordHash(id: string, client: Queryable = db): Promise<string | null> {
      const { rows } = await client.query('SELECT password_hash FROM users WHERE id = $1', [id])
      return rows[0]?.password_hash ?? null
    },

    /** null when the username is taken. */
    async insert(
      user: Pick<User, 'username' | 'displayName' | 'role'> & { passwordHash: string },
      client: Queryable = db,
    ): Promise<User | null> {
      const { rows } = await client.query(
        `INSERT INTO users (username, display_name, role, password_hash) VALUES (lower($1), $2, $3, $4)
         ON CONFLICT (username) DO NOTHING RETURNING ${columns}`,
        [user.username, user.displayName, user.role, user.passwordHash],
      )
      return rows[0] ? toUser(rows[0]) : null
    },

    /** Applies `changes` to the user at `version`; null when there is no such user at that version. */
    async update(id: string, version: number, changes: UserChanges, client: Queryable = db): Promise<User | null> {
      const sets: string[] = []
      const values: unknown[] = [id, version]
      for (const [key, column] of Object.entries(changeColumns)) {
        const value = changes[key as keyof UserChanges]
        if (value === undefined) continue
        values.push(value)
        sets.push(`${column} = $${values.length}`)
      }
      const { rows } = await client.query(
        `UPDATE users SET ${[...sets, 'updated_at = now()', 'version = version + 1'].join(', ')}
         WHERE id = $1 AND version = $2 RETURNING ${columns}`,
        values,
      )
      return rows[0] ? toUser(rows[0]) : null
    },

    async setPassword(id: string, passwordHash: string, mustChange: boolean, client: Queryable = db): Promise<User> {
      const { rows } = await client.query(
        `UPDATE users SET password_hash = $2, must_change_password = $3, updated_at = now(), version = version + 1
         WHERE id = $1 RETURNING ${columns}`,
        [id, passwordHash, mustChange],
      )
      return toUser(rows[0])
    },

    /** The active admins, locked until the transaction ends, so two demotions cannot both pass the last-admin rule. */
    async lockActiveAdmins(client: Queryable): Promise<string[]> {
      const { rows } = await client.query(
        `SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE`,
      )
      return rows.map((r) => r.id)
    },

    async count(client: Queryable = db): Promise<number> {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM users')
      return rows[0].n
    },
  }
}

export type UsersRepository = ReturnType<typeof createUsersRepository>
