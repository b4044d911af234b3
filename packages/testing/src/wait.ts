import pWaitFor from 'p-wait-for'

/**
 * Polls `probe` until it returns a truthy value, or fails after `timeoutMs` saying what it waited for.
 * A probe that throws (a service not up yet) is polled again; its last error is told on timeout.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  let last: unknown
  return pWaitFor(
    async () => {
      try {
        const value = await probe()
        return value ? pWaitFor.resolveWith(value) : false
      } catch (error) {
        last = error
        return false
      }
    },
    {
      interval: 50,
      timeout: {
        milliseconds: timeoutMs,
        fallback: () => {
          throw new Error(
            `Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
          )
        },
      },
    },
  )
}
