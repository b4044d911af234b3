import type pg from 'pg'
import { awaitLater } from '@ccm/db'

/**
 * Published marks are gathered this long and sent as one UPDATE: a mark per publish cost the database
 * as much as the write that stored the event.
 */
const MARK_EVERY_MS = 200

/**
 * The `published_at` marks of what Kafka has acknowledged. They are sent without waiting, on the
 * relay's session: whatever goes next on it runs behind them. The outbox drain sends them ahead of its
 * read and takes their outcome after (see readOutboxBatch), so the read never returns a row already
 * published, and a mark that failed is reported there; its rows then go out again, and consumers skip
 * what they have applied.
 */
export class PublishedMarks {
  private unsent: string[] = []
  private timer: NodeJS.Timeout | undefined
  /** The marks sent since the last `settle`, chained: the first failure among them. */
  private sent: Promise<unknown> = Promise.resolve()

  /** `session`: the relay's session now, or null while it has none (the ids then wait for the next). */
  constructor(private readonly session: () => pg.Client | null) {}

  /** Ids Kafka has acknowledged; sent within MARK_EVERY_MS. */
  add(ids: string[]): void {
    this.unsent.push(...ids)
    this.timer ??= setTimeout(() => this.send(), MARK_EVERY_MS)
  }

  send(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const session = this.session()
    if (this.unsent.length === 0 || !session) return
    const mark = awaitLater(
      session.query({
        name: 'outbox-mark-published',
        text: 'UPDATE outbox SET published_at = now() WHERE event_id = ANY($1::uuid[])',
        values: [this.unsent.splice(0)],
      }),
    )
    this.sent = awaitLater(this.sent.then(() => mark))
  }

  /** The outcome of the marks sent so far (rejects with the first that failed), and a fresh start. */
  settle(): Promise<unknown> {
    const sent = this.sent
    this.sent = Promise.resolve()
    return sent
  }

  /** Drops the outcome of marks sent on a session that is gone: their rows are still unpublished there. */
  forgetSent(): void {
    this.sent = Promise.resolve()
  }

  /** Stops the timer; what is unsent stays for a `send` on the next session. */
  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}
