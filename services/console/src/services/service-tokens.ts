import type { BaseConfig } from '@ccm/config'
import { signToken, type Principal } from '@ccm/http'

/** A token is minted again once it has less than this left, so no request reaches a service with one about to end. */
const RENEW_BEFORE_MS = 60_000
/** A bound on the cache, so sessions that ended elsewhere (another instance, an expiry) cannot grow it without end. */
const MAX_ENTRIES = 10_000

/**
 * The bearer tokens the console adds to what it proxies: minted for the signed-in user (sub = username, role = their
 * role), living a few minutes, cached per session until near their end. Signed with the JWT_SECRET the services
 * verify; a role change ends the user's sessions, so a cached token never outlives the role it names.
 */
export function createServiceTokens(config: BaseConfig, lifetimeSeconds: number) {
  const lifetime = Math.min(lifetimeSeconds, config.JWT_MAX_AGE)
  const cache = new Map<string, { token: string; renewAt: number }>()

  return {
    async tokenFor(sessionKey: string, principal: Principal): Promise<string> {
      const cached = cache.get(sessionKey)
      if (cached && cached.renewAt > Date.now()) return cached.token
      const token = await signToken(config, principal, lifetime)
      if (cache.size >= MAX_ENTRIES) cache.clear()
      cache.set(sessionKey, { token, renewAt: Date.now() + Math.max(lifetime * 1000 - RENEW_BEFORE_MS, 0) })
      return token
    },

    forget(sessionKey: string): void {
      cache.delete(sessionKey)
    },
  }
}

export type ServiceTokens = ReturnType<typeof createServiceTokens>
