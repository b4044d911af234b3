import pg from 'pg'

export type Db = pg.Pool
export type DbClient = pg.PoolClient
/** Anything a repository method can run a statement on: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient

// DATE columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone, and a JS Date would give it one.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)
// BIGINT counts and ids fit in a JS number for this system's volumes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

export function createPool(connectionString: string, options: { max?: number; applicationName?: string } = {}): Db {
  return new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
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
