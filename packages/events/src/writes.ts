import type { QueryConfig } from 'pg'
import { auditStatement, withTransaction, type AuditEntry, type Db, type DbClient } from '@ccm/db'
import type { EventType } from './catalogue/index.ts'
import { outboxStatement, type NewEvent } from './outbox.ts'

/**
 * A transaction's append-only writes, which nothing in it reads back: its outbox events and audit
 * rows. They are collected as the changes are made, then stored all in one statement, in the order
 * made, sent together with the commit: a consumer's batch of a hundred events costs one round trip
 * for them instead of a few hundred.
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

  /** The statement storing what is buffered (emptying the buffer), or null if nothing is; throws on an event the catalogue refuses. */
  statement(): QueryConfig | null {
    const audits = this.audits.splice(0)
    const events = this.events.splice(0)
    return events.length > 0 ? outboxStatement(this.source, events, audits).statement : auditStatement(audits)
  }
}

/** A transaction and the buffer of its audit rows and events. */
export interface WriteTransaction {
  client: DbClient
  writes: WriteBuffer
}

/** Runs `work` in one transaction whose buffered audit rows and events are stored with its commit, so nothing buffered is forgotten. */
export function withWrites<T>(db: Db, source: string, work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
  const writes = new WriteBuffer(source)
  return withTransaction(db, (client) => work({ client, writes }), { finalStatement: () => writes.statement() })
}
