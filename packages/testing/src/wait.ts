import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Polls `probe` every 50 ms until it returns a truthy value, or fails after `timeoutMs` saying what it waited
 * for. A probe that throws (a service not up yet) is polled again; its last error is told on timeout.
 * The deadline holds even while a probe hangs (a request to a process that accepts and never answers).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  let last: unknown
  let expired = false
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true
      reject(
        new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`),
      )
    }, timeoutMs)
  })
  const poll = async (): Promise<T> => {
    for (; !expired; await sleep(50)) {
      try {
        const value = await probe()
        if (value) return value
      } catch (error) {
        last = error
      }
    }
    return deadline
  }
  try {
    return await Promise.race([poll(), deadline])
  } finally {
    clearTimeout(timer)
  }
}
