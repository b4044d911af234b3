import { recordAudits, type AuditEntry, type Queryable } from '@ccm/db'
import type { EventType } from './catalogue/index.ts'
import { appendEvents, type NewEvent } from './outbox.ts'

/**
 * A transaction's append-only writes, which nothing in it reads back: its outbox events and audit
 * rows. They are collected as the changes are made, then `flush` stores them all in one statement, in
 * the order made, just before the commit: a consumer's batch of a hundred events costs one round
 * trip for them instead of a few hundred.
 */
export class WriteBuffer {
  private events: NewEvent<EventType>[] = []
  private audits: AuditEntry[] = []

  constructor(private readonly source: string) {}

  event<T extends EventType>(event: NewEvent<T>): void {
    this.events.push(event as NewEvent<EventType>)
  }

  audit(entry: AuditEntry): void {
    this.audits.push(entry)
  }

  /** Call it with the transaction's client, after its last change and before its commit: one statement stores both. */
  async flush(db: Queryable): Promise<void> {
    const audits = this.audits.splice(0)
    const events = this.events.splice(0)
    if (events.length > 0) await appendEvents(db, this.source, events, audits)
    else await recordAudits(db, audits)
  }
}
