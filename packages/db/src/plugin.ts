import type { FastifyInstance } from 'fastify'
import type {} from '@ccm/http' // its FastifyInstance augmentation: readinessChecks
import fp from 'fastify-plugin'
import { createPool, type Db } from './pool.ts'
import { describeConnectionError } from './database.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
  }
}

/** The service's Postgres pool, checked at start-up, in /readyz, and closed last on shutdown. */
export const dbPlugin = fp(
  async (app: FastifyInstance, options: { connectionString: string; max?: number; connectionTimeoutMillis?: number; applicationName?: string }) => {
    const { connectionString, ...poolOptions } = options
    const db = createPool(connectionString, poolOptions)
    db.on('error', (error) => app.log.warn({ err: error }, 'idle postgres client error'))
    try {
      await db.query('SELECT 1')
    } catch (error) {
      await db.end().catch(() => {})
      if ((error as { code?: string }).code === '3D000') {
        const name = new URL(connectionString).pathname.slice(1)
        throw new Error(`Database "${name}" does not exist yet: run the service's migrate command (npm start does) to create and migrate it`)
      }
      throw new Error(describeConnectionError('PostgreSQL', connectionString, error))
    }
    app.decorate('db', db)
    app.readinessChecks.set('postgres', () => db.query('SELECT 1'))
    app.addHook('onClose', async () => {
      await db.end()
    })
  },
  { name: 'ccm-db', dependencies: ['ccm-health'] },
)
