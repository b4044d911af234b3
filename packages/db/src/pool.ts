import pg from 'pg'
import { DatabaseBusyError } from './errors.ts'
import { awaitLater } from './await-later.ts'

export type Db = pg.Pool
export type DbClient = pg.PoolClient
/** Anything a repository method can run a statement on: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient

// DATE columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone, and a JS Date would give it one.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)
// BIGINT counts and ids fit in a JS number for this system's volumes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

type ConnectCallback = (
  error: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: unknown) => void,
) => void

/** SQLSTATE query_canceled: here, a statement that ran past statement_timeout. */
const QUERY_CANCELED = '57014'
/**
 * pg-pool's own wait limit, a backstop past ours: it drops a waiter we gave up on from its queue and
 * ends a connection attempt that hangs, so neither holds a place for long.
 */
const POOL_BACKSTOP_MS = 1_000

/**
 * A statement cancelled by statement_timeout is answered like a pool wait: busy, retry (its transaction wrote nothing).
 */
function statementTimeoutsAsBusy(client: pg.PoolClient): void {
  const asBusy = (error: Error | undefined) =>
    (error as { code?: string } | undefined)?.code === QUERY_CANCELED
      ? new DatabaseBusyError('a database statement took too long', { cause: error })
      : error
  const query = client.query as (...args: unknown[]) => unknown
  client.query = function (this: pg.PoolClient, ...args: unknown[]) {
    const callback = args.at(-1)
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: Error | undefined, result: unknown) => callback(asBusy(error), result)
      return query.apply(this, args)
    }
    const result = query.apply(this, args) as Promise<unknown> | undefined
    // A submittable (a cursor, COPY) is returned as it is: it reports its errors itself.
    return typeof result?.then === 'function' ? result.catch((error: Error) => Promise.reject(asBusy(error))) : result
  } as typeof client.query
}

/**
 * Under a burst, requests queue for a connection; one that waits longer than `waitMs` is refused with
 * DatabaseBusyError (overload, for the caller to retry) rather than a fault. Timed here, not read from
 * pg-pool's error text; a connection that comes after the caller gave up goes straight back. pool.query
 * goes through connect, so both paths are covered.
 */
class ServicePool extends pg.Pool {
  constructor(
    config: pg.PoolConfig,
    private readonly waitMs: number,
  ) {
    super({ ...config, connectionTimeoutMillis: waitMs + POOL_BACKSTOP_MS })
  }

  override connect(): Promise<pg.PoolClient>
  override connect(callback: ConnectCallback): void
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    const connected = new Promise<pg.PoolClient>((resolve, reject) => {
      let gaveUp = false
      const timer = setTimeout(() => {
        gaveUp = true
        reject(new DatabaseBusyError('no database connection became free in time'))
      }, this.waitMs)
      super.connect((error, client, done) => {
        clearTimeout(timer)
        if (gaveUp) {
          if (client) done() // came too late: straight back to the pool
        } else if (error || !client) reject(error)
        else resolve(client)
      })
    })
    if (!callback) return connected
    connected.then(
      (client) => callback(undefined, client, (release) => client.release(release as boolean | Error | undefined)),
      (error: Error) => callback(error, undefined, () => {}),
    )
  }
}

/**
 * Connections are pipelined (pg's `pipeline` mode): a statement is sent without waiting for the answer
 * to the one before, so a transaction's BEGIN goes out with its first statement and its COMMIT with its
 * last (see withTransaction). Code that awaits each statement behaves as on any connection. Not for
 * COPY or cursors, which pg refuses on a pipelined connection: use a client of their own.
 */
export function createPool(
  connectionString: string,
  options: {
    max?: number
    applicationName?: string
    connectionTimeoutMillis?: number
    statementTimeoutMs?: number
  } = {},
): Db {
  const pool = new ServicePool(
    {
      connectionString,
      pipeline: true,
      max: options.max ?? 10,
      application_name: options.applicationName,
      idleTimeoutMillis: 30_000,
      // Set at connection start-up, so it costs no statement; 0 (or none) leaves the server's default.
      statement_timeout: options.statementTimeoutMs || undefined,
    },
    options.connectionTimeoutMillis ?? 5_000,
  )
  pool.on('connect', (client) => {
    statementTimeoutsAsBusy(client)
  })
  return pool
}

export interface TransactionOptions {
  /**
   * Reads only, all from one snapshot (REPEATABLE READ): what several statements read together is
   * as of one moment, never half before and half after another transaction's commit.
   */
  readOnlySnapshot?: boolean
  /**
   * The transaction's last statement, sent together with its COMMIT. Built after `work`, before either
   * is sent: if building it throws, nothing commits. Should it fail, the COMMIT that follows it finds the
   * transaction aborted and ends it as a rollback.
   */
  finalStatement?: () => pg.QueryConfig | null
  /** Given the final statement's result once the transaction has committed. */
  onCommitted?: (final: pg.QueryResult | null) => void
}

/**
 * Runs `work` in one transaction: committed if it resolves, rolled back if it throws. On this pool's
 * pipelined connections BEGIN and COMMIT cost no round trip of their own: BEGIN is sent at once, ahead
 * of work's first statement, and COMMIT right behind the final statement.
 */
export async function withTransaction<T>(
  db: Db,
  work: (client: DbClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await db.connect()
  // Awaited with the COMMIT; work's own statements fail too if it failed.
  const begun = awaitLater(
    client.query(options.readOnlySnapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN'),
  )
  try {
    const result = await work(client)
    const final = options.finalStatement?.()
    const [, finalResult, committed] = await Promise.all([begun, final && client.query(final), client.query('COMMIT')])
    // COMMIT in a transaction a failed statement aborted (one work caught) rolls back without an error.
    if (committed.command !== 'COMMIT')
      throw new Error(`the transaction was rolled back (${committed.command}): a statement in it failed`)
    options.onCommitted?.(finalResult || null)
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

/**
 * Awaits statements sent together on a pipelined connection (one round trip for all), in the order
 * sent. If one failed, the first failure is thrown: those after it failed only because it aborted the
 * transaction, and a check sent first reports before the write it guards.
 */
export async function pipelined<T extends readonly unknown[]>(
  statements: readonly [...{ [K in keyof T]: Promise<T[K]> | T[K] }],
): Promise<T> {
  const settled = await Promise.allSettled(statements)
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
  if (failed) throw failed.reason
  // None failed, so each is fulfilled; map() cannot build the tuple type T, whose values these are, in order.
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T
}
