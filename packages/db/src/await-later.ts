/**
 * A promise sent now and awaited later. On a pipelined connection a statement is sent at once so that
 * what follows queues behind it without waiting a round trip; it is awaited only when its result is
 * needed. Until then its failure must not count as an unhandled rejection (Node would end the process):
 * whoever awaits the promise this returns still gets it.
 */
export function awaitLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {})
  return promise
}
