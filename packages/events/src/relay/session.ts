import pg from 'pg'
import type { Logger } from 'pino'
import { OUTBOX_CHANNEL } from '../outbox.ts'

// One relay per database at a time, or per-aggregate order could break between two instances.
const RELAY_LOCK_KEY = 0x0cc_0ae1

export interface SessionOptions {
  connectionString: string
  logger: Logger
  /** Called on each outbox notification, with its payload: the writer id of the transaction that committed. */
  onCommitNotified: (writerId: string) => void
}

/**
 * The relay's own Postgres session, holding the advisory lock that makes it the only relay of its
 * database and listening for commits to the outbox; null if another instance holds the lock.
 */
export async function openRelaySession({
  connectionString,
  logger,
  onCommitNotified,
}: SessionOptions): Promise<pg.Client | null> {
  // Pipelined, so a batch's published marks and the next SELECT share a round trip.
  const session = new pg.Client({ connectionString, application_name: 'outbox-relay', pipeline: true })
  session.on('error', (error) => logger.warn({ err: error }, 'outbox relay session error'))
  await session.connect()
  const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
    RELAY_LOCK_KEY,
  ])
  if (!rows[0]?.locked) {
    await session.end()
    return null
  }
  session.on('notification', ({ payload }) => onCommitNotified(payload ?? ''))
  await session.query(`LISTEN ${OUTBOX_CHANNEL}`)
  // The published marks need not wait for the disk: one lost in a crash means the rows go out
  // again, and consumers are idempotent. The relay's loop then never waits on a WAL flush.
  await session.query('SET synchronous_commit = off')
  return session
}

export async function isAlive(session: pg.Client): Promise<boolean> {
  try {
    await session.query('SELECT 1')
    return true
  } catch {
    return false
  }
}
