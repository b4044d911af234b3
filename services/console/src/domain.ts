import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from './config.ts'
import { createUsersRepository } from './repositories/users.ts'
import { createServiceTokens } from './services/service-tokens.ts'
import { createSessionStore } from './services/sessions.ts'
import { createSignInLimiter } from './services/sign-in-limiter.ts'
import { createSignInService } from './services/sign-in.ts'
import { createUsersService } from './services/users.ts'

const MINUTE_MS = 60_000

function createDomain(app: FastifyInstance, config: Readonly<Config>) {
  const users = createUsersRepository(app.db)
  const sessions = createSessionStore(app.redis, {
    idleMs: config.CONSOLE_SESSION_IDLE_MINUTES * MINUTE_MS,
    maxMs: config.CONSOLE_SESSION_MAX_HOURS * 60 * MINUTE_MS,
  })
  const limiter = createSignInLimiter(app.redis, {
    perAccount: config.CONSOLE_SIGNIN_MAX_PER_ACCOUNT,
    perAddress: config.CONSOLE_SIGNIN_MAX_PER_ADDRESS,
    windowMs: config.CONSOLE_SIGNIN_WINDOW_MINUTES * MINUTE_MS,
  })
  return {
    users,
    sessions,
    signIn: createSignInService({ users, sessions, limiter }),
    usersService: createUsersService({ users, events: app.events, sessions }),
    serviceTokens: createServiceTokens(config, config.CONSOLE_TOKEN_SECONDS),
  }
}

export type ConsoleDomain = ReturnType<typeof createDomain>

declare module 'fastify' {
  interface FastifyInstance {
    console: ConsoleDomain
  }
}

/** The console's repositories and services, built once. */
export const domainPlugin = fp(
  async (app: FastifyInstance, options: { config: Readonly<Config> }) => {
    app.decorate('console', createDomain(app, options.config))
  },
  { name: 'console-domain', dependencies: ['ccm-db', 'ccm-redis', 'ccm-events'] },
)
