import { recordAudits, withTransaction, type AuditEntry, type Db, type DbClient, type Queryable } from '@ccm/db'
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

/** A transaction and the buffer of its audit rows and events. */
export interface WriteTransaction {
  client: DbClient
  writes: WriteBuffer
}

/** Runs `work` in one transaction and stores what it buffered just before the commit, so nothing buffered is forgotten. */
export function withWrites<T>(db: Db, source: string, work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
  return withTransaction(db, async (client) => {
    const writes = new WriteBuffer(source)
    const result = await work({ client, writes })
    await writes.flush(client)
    return result
  })
}
