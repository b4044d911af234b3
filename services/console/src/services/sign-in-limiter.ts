import type { Redis } from 'ioredis'

export interface SignInLimits {
  perAccount: number
  perAddress: number
  windowMs: number
}

/**
 * Failed sign-ins counted in Redis per account and per address, so every console instance shares the count: guessing
 * one account's password is slowed wherever it comes from, and one address cannot try many accounts. A success clears
 * the account's count (not the address's: a guesser who owns one account must not reset their own).
 */
export function createSignInLimiter(redis: Redis, limits: SignInLimits) {
  const keys = (username: string, address: string) => [
    `console:sign-in:account:${username.toLowerCase()}`,
    `console:sign-in:address:${address}`,
  ]
  const maxima = [limits.perAccount, limits.perAddress]

  return {
    /** Seconds to wait before trying again, or 0 when a try is allowed. */
    async retryAfter(username: string, address: string): Promise<number> {
      const names = keys(username, address)
      const result = await redis
        .multi()
        .mget(...names)
        .pttl(names[0]!)
        .pttl(names[1]!)
        .exec()
      const counts = (result?.[0]?.[1] as (string | null)[] | undefined) ?? []
      let waitMs = 0
      counts.forEach((count, i) => {
        if (Number(count ?? 0) >= maxima[i]!) waitMs = Math.max(waitMs, Number(result?.[i + 1]?.[1] ?? 0))
      })
      return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0
    },

    async failed(username: string, address: string): Promise<void> {
      const multi = redis.multi()
      for (const key of keys(username, address)) multi.incr(key).pexpire(key, limits.windowMs, 'NX')
      await multi.exec()
    },

    async succeeded(username: string, address: string): Promise<void> {
      await redis.del(keys(username, address)[0]!)
    },
  }
}

export type SignInLimiter = ReturnType<typeof createSignInLimiter>
