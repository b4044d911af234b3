import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Polls `probe` every 50 ms until it returns a truthy value, or fails after `timeoutMs` saying what it waited
 * for. A probe that throws (a service not up yet) is polled again; its last error is told on timeout.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  let last: unknown
  for (const deadline = Date.now() + timeoutMs; ; await sleep(50)) {
    try {
      const value = await probe()
      if (value) return value
    } catch (error) {
      last = error
    }
    if (Date.now() >= deadline)
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      )
  }
}
