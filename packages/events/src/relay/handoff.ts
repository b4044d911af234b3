import { topicOf } from '../catalogue/index.ts'
import type { Envelope } from '../envelope.ts'
import type { Outgoing } from './publish.ts'

/**
 * Where a transaction that stored events hands them over once it has committed, so they are published
 * without being read back from the outbox.
 */
export interface CommitHandoff {
  /**
   * This process's mark as a writer of the outbox: its rows carry it (column `writer_id`), and so does their
   * commit's notification, which the relay then ignores: those events come by hand-over instead.
   */
  readonly writerId: string
  /**
   * `otherWritersAhead`: rows of other writers, committed before these, still wait in the outbox; these
   * events must go out after them, so they are read from the outbox too.
   */
  committed(envelopes: Envelope[], otherWritersAhead?: boolean): void
}

/** Event ids published lately, so an event read from the outbox before its hand-over goes out once. */
const RECENT_IDS = 10_000

/**
 * The hand-off path: the events this process's transactions committed, in commit order, waiting to be
 * published, less those the outbox drain already published.
 */
export class HandedOver {
  private queue: Envelope[] = []
  private readonly published = new Set<string>()

  get size(): number {
    return this.queue.length
  }

  push(envelopes: Envelope[]): void {
    this.queue.push(...envelopes)
  }

  /** Forgets what waits: after a failure, those events go out from the outbox, in order, behind what failed. */
  clear(): void {
    this.queue = []
  }

  /** Up to `max` of the waiting events, in commit order, without those published already. */
  take(max: number): Outgoing[] {
    return this.queue
      .splice(0, max)
      .filter((e) => !this.published.has(e.id))
      .map((e) => ({
        eventId: e.id,
        type: e.type,
        correlationId: e.correlationid,
        topic: topicOf(e.type),
        key: e.subject,
        value: JSON.stringify(e),
      }))
  }

  /** Notes what either path published, keeping the newest RECENT_IDS. */
  remember(ids: string[]): void {
    for (const id of ids) this.published.add(id)
    for (const id of this.published) {
      if (this.published.size <= RECENT_IDS) break
      this.published.delete(id)
    }
  }
}
