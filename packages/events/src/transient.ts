/**
 * Postgres SQLSTATEs that say "try again", not "this is wrong": serialization failure, deadlock,
 * the server shutting down or not accepting connections yet, too many connections, and a statement
 * cancelled by statement_timeout (under load or behind a lock).
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const retrySqlStates = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '57014', '53300'])
/** Class 08: the connection failed or was lost. */
const connectionSqlClass = '08'
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
])
/** pg's own errors for a connection that went away or never came; they carry no code. */
const pgConnectionLost = /^Connection terminated|is not queryable/
/** kafkajs errors that its own retries gave up on, or that it marks retriable (broker away, leader moving). */
const kafkaRetryNames = new Set([
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
])

interface ErrorLike {
  name?: string
  message?: string
  code?: string
  retriable?: boolean
  cause?: unknown
  errors?: unknown[]
}

/**
 * Whether an error is temporary: the same work is expected to succeed later, untouched (a database or
 * broker away or restarting, a pool with no free connection, a conflict with another transaction).
 * Consumers retry these for as long as they last; anything else is a fault of the event or the code.
 */
export function isTransient(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false
  const e = error as ErrorLike
  if (typeof e.code === 'string') {
    if (retrySqlStates.has(e.code) || (e.code.length === 5 && e.code.startsWith(connectionSqlClass))) return true
    if (socketCodes.has(e.code)) return true
    // @ccm/db's DatabaseBusyError (no free connection in time; overload, not a fault), and its 503.
    if (e.code === 'DATABASE_BUSY' || e.code === 'SERVICE_UNAVAILABLE') return true
  }
  if (e.retriable === true || (e.name && kafkaRetryNames.has(e.name))) return true
  if (typeof e.message === 'string' && pgConnectionLost.test(e.message)) return true
  // Node reports a refused connection to every address of a host as an AggregateError.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isTransient(inner, depth + 1))) return true
  return isTransient(e.cause, depth + 1)
}
