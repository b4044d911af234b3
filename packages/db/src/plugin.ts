import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createPool, type Db } from './pool.ts'
import { unreachable } from '@ccm/config'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    /** Decorated by the health plugin this one depends on (ccm-health, in @ccm/http); /readyz checks them all. */
    readinessChecks: Map<string, () => Promise<unknown>>
  }
}

export interface DbPluginOptions {
  connectionString: string
  applicationName: string
  /**
   * The settings every service shares: DATABASE_POOL_MAX connections, a request waiting DATABASE_POOL_WAIT_MS
   * at most for one, a statement running DATABASE_STATEMENT_TIMEOUT_MS at most.
   */
  config: { DATABASE_POOL_MAX: number; DATABASE_POOL_WAIT_MS: number; DATABASE_STATEMENT_TIMEOUT_MS: number }
  /** Connections on top of DATABASE_POOL_MAX, for work of the service's own (social's concurrent publishes). */
  extraConnections?: number
}

/** The service's Postgres pool, checked at start-up, in /readyz, and closed last on shutdown. */
export const dbPlugin = fp(
  async (app: FastifyInstance, options: DbPluginOptions) => {
    const { connectionString, applicationName, config, extraConnections = 0 } = options
    const db = createPool(connectionString, {
      applicationName,
      max: config.DATABASE_POOL_MAX + extraConnections,
      connectionTimeoutMillis: config.DATABASE_POOL_WAIT_MS,
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    })
    db.on('error', (error) => app.log.warn({ err: error }, 'idle postgres client error'))
    try {
      await db.query('SELECT 1')
    } catch (error) {
      await db.end().catch(() => {})
      if ((error as { code?: string }).code === '3D000') {
        const name = new URL(connectionString).pathname.slice(1)
        throw new Error(
          `Database "${name}" does not exist yet: run the service's migrate command (npm start does) to create and ` +
            `migrate it`,
        )
      }
      throw unreachable('PostgreSQL', connectionString, error)
    }
    app.decorate('db', db)
    app.readinessChecks.set('postgres', () => db.query('SELECT 1'))
    app.addHook('onClose', async () => {
      await db.end()
    })
  },
  { name: 'ccm-db', dependencies: ['ccm-health'] },
)
