/**
 * Overload, not a fault: no connection became free in time, or a statement ran past statement_timeout
 * (its transaction wrote nothing). The caller may retry after `retryAfter` seconds; @ccm/http answers it
 * 503 with Retry-After.
 */
export class DatabaseBusyError extends Error {
  readonly code = 'DATABASE_BUSY'
  readonly retryAfter = 1
  constructor(why: string, options?: ErrorOptions) {
    super(`The service is busy: ${why}. Retry shortly.`, options)
    this.name = 'DatabaseBusyError'
  }
}
