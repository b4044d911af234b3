import { errors } from '../errors.ts'
import type { User, UsersRepository } from '../repositories/users.ts'
import { verifyPassword } from './passwords.ts'
import type { Session, SessionStore } from './sessions.ts'
import type { SignInLimiter } from './sign-in-limiter.ts'

interface Dependencies {
  users: UsersRepository
  sessions: SessionStore
  limiter: SignInLimiter
}

/**
 * Sign-in answers one 401 whatever was wrong (no such user, a wrong password, a disabled user), after the same
 * argon2 verification, so neither the answer nor its timing tells whether a username exists.
 */
export function createSignInService({ users, sessions, limiter }: Dependencies) {
  return {
    async signIn(
      username: string,
      password: string,
      address: string,
    ): Promise<{ user: User; cookie: string; session: Session }> {
      const wait = await limiter.retryAfter(username, address)
      if (wait > 0) throw Object.assign(new errors.SignInThrottled(wait), { retryAfter: wait })
      const found = await users.findForSignIn(username)
      const matches = await verifyPassword(found?.passwordHash ?? null, password)
      if (!found || !matches || found.disabled) {
        await limiter.failed(username, address)
        throw new errors.SignInRefused()
      }
      await limiter.succeeded(username, address)
      const { passwordHash: _hash, ...user } = found
      return { user, ...(await sessions.create(user.id)) }
    },
  }
}
