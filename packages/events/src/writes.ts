import type { QueryConfig } from 'pg'
import { auditStatement, withTransaction, type AuditEntry, type Db, type DbClient } from '@ccm/db'
import type { EventType } from './catalogue/index.ts'
import type { Envelope } from './envelope.ts'
import { outboxStatement, type NewEvent } from './outbox.ts'
import type { CommitHandoff } from './relay/handoff.ts'

/**
 * A transaction's append-only writes, which nothing in it reads back: its outbox events and audit
 * rows. They are collected as the changes are made, then stored all in one statement, in the order
 * made, sent together with the commit: a consumer's batch of a hundred events costs one round trip
 * for them instead of a few hundred.
 */
export class WriteBuffer {
  private events: NewEvent<EventType>[] = []
  private audits: AuditEntry[] = []
  /** The envelopes of the events the statement stores, once it is built. */
  stored: Envelope[] = []

  /**
   * `writerId`: that of the relay the events will be handed to after the commit (see CommitHandoff), or '' for none.
   */
  constructor(
    private readonly source: string,
    private readonly writerId = '',
  ) {}

  event<T extends EventType>(event: NewEvent<T>): void {
    this.events.push(event as NewEvent<EventType>)
  }

  audit(...entries: AuditEntry[]): void {
    this.audits.push(...entries)
  }

  /**
   * Stores what is buffered so far, now, in the transaction of `client`: for a write too large to hold
   * whole until its commit (the CSV import, chunk by chunk). Its events are not handed to the relay;
   * it reads them from the outbox once they commit.
   */
  async storeNow(client: DbClient): Promise<void> {
    const statement = this.statement('')
    if (statement) await client.query(statement)
  }

  /**
   * The statement storing what is buffered (emptying the buffer), or null if nothing is; throws on an event the
   * catalogue refuses.
   */
  statement(writerId = this.writerId): QueryConfig | null {
    const audits = this.audits.splice(0)
    const events = this.events.splice(0)
    if (events.length === 0) return auditStatement(audits)
    const { statement, envelopes } = outboxStatement(this.source, events, audits, writerId)
    if (writerId) this.stored.push(...envelopes)
    return statement
  }
}

/** A transaction and the buffer of its audit rows and events. */
export interface WriteTransaction {
  client: DbClient
  writes: WriteBuffer
}

/**
 * The one way to write what is audited or announced: runs `work` in one transaction whose buffered audit
 * rows and events are stored with its commit (all of it commits, or none), so nothing buffered is
 * forgotten; once committed, the events are handed to `handoff` (the service's relay), which publishes
 * them without reading them back. A service calls it as `app.events.withWrites(work)`.
 */
export async function withWrites<T>(
  db: Db,
  source: string,
  work: (tx: WriteTransaction) => Promise<T>,
  handoff?: CommitHandoff,
): Promise<T> {
  const writes = new WriteBuffer(source, handoff?.writerId)
  let otherWritersAhead = false
  const result = await withTransaction(db, (client) => work({ client, writes }), {
    finalStatement: () => writes.statement(),
    onCommitted: (final) => {
      otherWritersAhead = final?.rows[0]?.other_writers_ahead === true
    },
  })
  handoff?.committed(writes.stored, otherWritersAhead)
  return result
}
