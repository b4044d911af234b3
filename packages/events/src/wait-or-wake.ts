/**
 * The pause of a loop that other parts of the process can cut short: the outbox relay waits for its
 * poll unless a commit is handed over; social's scheduler waits for the next timer unless a post is
 * scheduled. A wake while nobody waits is dropped: each loop reads its own state before it waits again.
 */
export interface WaitOrWake {
  /** Resolves after `ms` (at once if none is left), or sooner on `wake()`; true if woken. */
  wait(ms: number): Promise<boolean>
  /** Ends the wait under way, if there is one. */
  wake(): void
}

export function waitOrWake(): WaitOrWake {
  let woken: (() => void) | null = null
  return {
    wait(ms) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => done(false), Math.max(0, ms))
        const done = (wasWoken: boolean) => {
          clearTimeout(timer)
          woken = null
          resolve(wasWoken)
        }
        woken = () => done(true)
      })
    },
    wake() {
      woken?.()
    },
  }
}
