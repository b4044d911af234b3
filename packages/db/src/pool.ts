import pg from 'pg'
import { problemErrors } from '@ccm/http'

export type Db = pg.Pool
export type DbClient = pg.PoolClient
/** Anything a repository method can run a statement on: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient

// DATE columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone, and a JS Date would give it one.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)
// BIGINT counts and ids fit in a JS number for this system's volumes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

type ConnectCallback = (error: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void

/** pg-pool's only signal that no connection became free (or opened) within connectionTimeoutMillis. */
const CONNECT_TIMEOUT = 'timeout exceeded when trying to connect'
const RETRY_AFTER_SECONDS = 1

function asUnavailable(error: Error | undefined): Error | undefined {
  if (error?.message !== CONNECT_TIMEOUT) return error
  const busy = new problemErrors.Unavailable('The service is busy: no database connection became free in time. Retry shortly.')
  return Object.assign(busy, { retryAfter: RETRY_AFTER_SECONDS, cause: error })
}

/**
 * Under a burst, requests queue for a connection; one that waits too long is answered 503 with
 * Retry-After (overload, for the caller to retry) rather than 500 (a fault). pool.query goes
 * through connect, so both paths are covered.
 */
class ServicePool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>
  override connect(callback: ConnectCallback): void
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    if (callback) return super.connect((error, client, done) => callback(asUnavailable(error), client, done))
    return super.connect().catch((error: Error) => {
      throw asUnavailable(error)
    })
  }
}

export function createPool(connectionString: string, options: { max?: number; applicationName?: string; connectionTimeoutMillis?: number } = {}): Db {
  return new ServicePool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
  })
}

/** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
export async function withTransaction<T>(db: Db, work: (client: DbClient) => Promise<T>): Promise<T> {
  const client = await db.connect()
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
