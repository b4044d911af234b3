import type { Queryable } from '@ccm/db'
import pg from 'pg'
import type { Logger } from 'pino'

// Advisory-lock class of the scheduler instances; each instance holds (class, its key) while alive.
const INSTANCE_LOCK_CLASS = 0x50c1

/** An instance's liveness lock: held for as long as the session that took it lives. */
export interface InstanceLock {
  /** False once the session is lost (and with it the lock); the caller then takes a new one. */
  held(): Promise<boolean>
  release(): Promise<void>
}

/**
 * The advisory locks that say which scheduler instances are alive. A lock is taken on a session of its
 * own, outside the pool, so that it lasts exactly as long as the process that holds it.
 */
export function createInstanceLocksRepository(db: Queryable, connectionString: string) {
  return {
    async hold(key: number, log: Logger): Promise<InstanceLock> {
      const session = new pg.Client({ connectionString, application_name: 'social-scheduler' })
      session.on('error', (error) => log.warn({ err: error }, 'scheduler lock session lost'))
      await session.connect()
      try {
        await session.query('SELECT pg_advisory_lock($1, $2)', [INSTANCE_LOCK_CLASS, key])
      } catch (error) {
        await session.end().catch(() => {})
        throw error
      }
      return {
        held: () =>
          session.query('SELECT 1').then(
            () => true,
            () => false,
          ),
        release: () => session.end().catch(() => {}),
      }
    },

    /** The keys of the instances alive now: those whose lock is granted in this database. */
    async liveKeys(client: Queryable = db): Promise<number[]> {
      const { rows } = await client.query(
        `SELECT objid::bigint AS key FROM pg_locks
          WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2 AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [INSTANCE_LOCK_CLASS],
      )
      return rows.map((r) => Number(r.key))
    },
  }
}

export type InstanceLocksRepository = ReturnType<typeof createInstanceLocksRepository>
