import type { Logger } from 'pino'

/**
 * A partition's events failed for a passing reason (see isTransient): it is fetched again from `offset` after a wait.
 */
export class RetryLater extends Error {
  override name = 'RetryLater'
  constructor(
    readonly offset: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
  }
}

export interface Backoff {
  initialMs: number
  maxMs: number
}

/**
 * The paused partitions: per partition, its failed attempts in a row, and the timer that resumes it.
 * Not p-retry: what is retried is a partition kafkajs fetches again after resume, not a function to call again.
 */
export class PausedPartitions {
  private readonly paused = new Map<string, { attempts: number; timer?: NodeJS.Timeout }>()

  constructor(
    private readonly backoff: Backoff,
    private readonly log: Logger,
  ) {}

  /** The partition's chunks were applied: its next failure waits the shortest time again. */
  succeeded(key: string): void {
    this.paused.delete(key)
  }

  /**
   * Resumes the paused partition after a wait that doubles with each failure in a row, with jitter so instances do not
   * retry in step.
   */
  resumeLater(key: string, resume: () => void, error: RetryLater): void {
    const { initialMs, maxMs } = this.backoff
    const state = this.paused.get(key) ?? { attempts: 0 }
    state.attempts++
    const waitMs = Math.round(Math.min(maxMs, initialMs * 2 ** (state.attempts - 1)) * (0.5 + Math.random() / 2))
    this.log.warn(
      { err: error.cause, partition: key, offset: error.offset, attempt: state.attempts, retryInMs: waitMs },
      'events failed for a passing reason; partition paused, will retry',
    )
    state.timer = setTimeout(resume, waitMs)
    this.paused.set(key, state)
  }

  stop(): void {
    for (const { timer } of this.paused.values()) clearTimeout(timer)
  }
}
