import { fileURLToPath } from 'node:url'
import type { QueryConfig } from 'pg'
import { auditRecordset, insertAuditRows, type AuditEntry, type MigrationSet } from '@ccm/db'
import { createEnvelope, type Envelope } from './envelope.ts'
import { eventCatalogue, topicOf, type EventData, type EventType } from './catalogue/index.ts'

export const eventsMigrations: MigrationSet = {
  name: 'events',
  directory: fileURLToPath(new URL('../migrations/events', import.meta.url)),
}

export const OUTBOX_CHANNEL = 'ccm_outbox'

export interface NewEvent<T extends EventType> {
  type: T
  /** The aggregate's id (a state's ISO3 code, a person's id): the Kafka key, so its events stay in order. */
  subject: string
  data: EventData<T>
  actor: string
  correlationId: string
}

/**
 * The one statement storing `events` (and `audits`), built without sending it: each event is checked
 * against the catalogue here, so a producer bug fails the write instead of poisoning every consumer.
 */
export function outboxStatement(
  source: string,
  events: NewEvent<EventType>[],
  audits: AuditEntry[] = [],
  writerId = '',
): { statement: QueryConfig; envelopes: Envelope[] } {
  const envelopes = events.map((event) => {
    const data = eventCatalogue[event.type].parse(event.data)
    return createEnvelope({
      source,
      type: event.type,
      subject: event.subject,
      data,
      actor: event.actor,
      correlationId: event.correlationId,
    })
  })
  // One statement (a round trip is the dearest part of a small write): the events as parallel arrays (a
  // bulk import's thousands at once), the audit rows, and the relay's wake-up, which is delivered on
  // commit only; the relay also polls, since a notification nobody hears is lost. Its payload is the
  // writer id of the relay the events will be handed to after the commit (see CommitHandoff), if any,
  // and so does the `writer_id` column; `other_writers_ahead` says whether another writer's rows, committed
  // before, still wait to be published.
  const audited = audits.length > 0
  const statement = {
    name: audited ? 'outbox-append-audited' : 'outbox-append', // planned once per connection: every write runs one
    text: `WITH stored AS (
       INSERT INTO outbox (event_id, aggregate_type, aggregate_id, type, topic, envelope, writer_id)
       SELECT event_id, split_part(type, '.', 2), aggregate_id, type, type_topic, envelope, $6
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
           WITH ORDINALITY AS e(event_id, aggregate_id, type, type_topic, envelope, position)
        ORDER BY position
       RETURNING id
     )${audited ? `, audited AS (${insertAuditRows('$7')})` : ''}
     SELECT pg_notify('${OUTBOX_CHANNEL}', $6),
            $6 <> '' AND EXISTS (SELECT 1 FROM outbox o WHERE o.published_at IS NULL AND o.writer_id <> $6
                                    AND o.id < (SELECT min(id) FROM stored)) AS other_writers_ahead`,
    values: [
      envelopes.map((e) => e.id),
      envelopes.map((e) => e.subject),
      envelopes.map((e) => e.type),
      envelopes.map((e) => topicOf(e.type)),
      envelopes.map((e) => JSON.stringify(e)),
      writerId,
      ...(audited ? [auditRecordset(audits)] : []),
    ],
  }
  return { statement, envelopes }
}
