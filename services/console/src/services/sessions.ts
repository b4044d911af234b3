import { createHash, randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'

export interface Session {
  /** Redis' key for it: a hash of the cookie's value, so what Redis holds cannot be replayed as a cookie. */
  key: string
  userId: string
  csrfToken: string
  /** Epoch ms after which it ends, however busy (CONSOLE_SESSION_MAX_HOURS after sign-in). */
  endsAt: number
}

export interface SessionLimits {
  idleMs: number
  maxMs: number
}

const sessionKey = (cookie: string) => `console:session:${createHash('sha256').update(cookie).digest('base64url')}`
const userSessionsKey = (userId: string) => `console:user-sessions:${userId}`

/**
 * Sessions in Redis, so every console instance shares them and sign-out ends one everywhere. Each lives
 * CONSOLE_SESSION_IDLE_MINUTES past its last use (Redis expires it) and never past CONSOLE_SESSION_MAX_HOURS. A set
 * per user lists theirs, so that disabling a user or changing their role ends them all.
 */
export function createSessionStore(redis: Redis, limits: SessionLimits) {
  const ttlMs = (session: Session) => Math.min(limits.idleMs, session.endsAt - Date.now())

  return {
    /** A new session; returns the cookie's value, which only the browser keeps. */
    async create(userId: string): Promise<{ cookie: string; session: Session }> {
      const cookie = randomBytes(32).toString('base64url')
      const session: Session = {
        key: sessionKey(cookie),
        userId,
        csrfToken: randomBytes(32).toString('base64url'),
        endsAt: Date.now() + limits.maxMs,
      }
      const { key: _key, ...stored } = session
      await redis
        .multi()
        .set(session.key, JSON.stringify(stored), 'PX', ttlMs(session))
        .sadd(userSessionsKey(userId), session.key)
        .pexpire(userSessionsKey(userId), limits.maxMs)
        .exec()
      return { cookie, session }
    },

    /** The session of `cookie`, if it still holds; `touch` counts this as a use, restarting its idle time. */
    async find(cookie: string | undefined, touch = true): Promise<Session | null> {
      if (!cookie) return null
      const key = sessionKey(cookie)
      const stored = await redis.get(key)
      if (!stored) return null
      const session: Session = { key, ...(JSON.parse(stored) as Omit<Session, 'key'>) }
      const remaining = ttlMs(session)
      if (remaining <= 0) {
        await this.end(session)
        return null
      }
      if (touch) await redis.pexpire(key, remaining)
      return session
    },

    /** Whether the session still holds, without counting a use: what keeps a live stream open. */
    async holds(session: Session): Promise<boolean> {
      return session.endsAt > Date.now() && (await redis.exists(session.key)) === 1
    },

    async end(session: Pick<Session, 'key' | 'userId'>): Promise<void> {
      await redis.multi().del(session.key).srem(userSessionsKey(session.userId), session.key).exec()
    },

    /** Ends every session of the user; returns their keys. */
    async endAll(userId: string): Promise<string[]> {
      const keys = await redis.smembers(userSessionsKey(userId))
      await redis
        .multi()
        .del(...keys, userSessionsKey(userId))
        .exec()
      return keys
    },
  }
}

export type SessionStore = ReturnType<typeof createSessionStore>
