import type { Logger } from 'pino'
import { isTransient } from '../transient.ts'
import type { DeadLetter } from './dead-letter.ts'
import type { ParsedEvent } from './parse.ts'
import { RetryLater } from './retry.ts'

/** One partition's parsed events, and the partition's wait for them to be applied. */
interface Chunk {
  topic: string
  partition: number
  items: ParsedEvent[]
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * Applies the partitions' chunks one transaction at a time, each turn taking every chunk waiting: the
 * transaction's cost is shared, and two transactions never wait on each other's locks (a batch locks
 * rows in its events' order, so two side by side could deadlock). Each partition waits for its chunk to
 * commit before it goes on, so the order within it is kept.
 */
export class Turns {
  /** Chunks waiting for the turn in progress to end; the next turn takes them all. */
  private waiting: Chunk[] = []
  private turning = false

  constructor(
    private readonly apply: (items: ParsedEvent[]) => Promise<void>,
    private readonly deadLetter: DeadLetter,
    private readonly log: Logger,
  ) {}

  /**
   * Resolves once the chunk is applied (or its bad events dead-lettered); rejects with RetryLater or a failed dead
   * letter.
   */
  applyInTurn(topic: string, partition: number, items: ParsedEvent[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ topic, partition, items, resolve, reject })
      if (!this.turning) void this.takeTurns()
    })
  }

  private async takeTurns(): Promise<void> {
    this.turning = true
    try {
      while (this.waiting.length > 0) {
        const turn = this.waiting.splice(0)
        const failure = await this.apply(turn.flatMap((chunk) => chunk.items)).then(
          () => null,
          (error: unknown) => error,
        )
        if (failure && !isTransient(failure))
          this.log.warn({ err: failure }, 'batch failed; applying its events one by one')
        for (const chunk of turn) {
          try {
            if (failure) await this.applyOneByOne(chunk, failure)
            chunk.resolve()
          } catch (error) {
            chunk.reject(error) // a passing failure, or the dead-letter topic unreachable: the partition is tried again
          }
        }
      }
    } finally {
      this.turning = false
    }
  }

  /**
   * After its turn failed: a passing failure sends the whole partition back to wait and retry. Otherwise
   * one bad event must neither hold back nor dead-letter the others, so each is applied alone, and the
   * one that fails for a reason that does not pass is dead-lettered.
   */
  private async applyOneByOne(chunk: Chunk, turnFailure: unknown): Promise<void> {
    if (isTransient(turnFailure)) throw new RetryLater(chunk.items[0]!.message.offset, turnFailure)
    for (const item of chunk.items) {
      try {
        await this.apply([item])
      } catch (error) {
        if (isTransient(error)) throw new RetryLater(item.message.offset, error)
        item.log.error({ err: error }, 'event handler failed; sending the event to the dead-letter topic')
        await this.deadLetter(chunk.topic, chunk.partition, item.message, item.raw, error)
      }
    }
  }
}
