import { fileURLToPath } from 'node:url'
import type { MigrationSet, Queryable } from '@ccm/db'
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
 * Stores an event in the outbox. Call it with the client of the transaction that makes the change,
 * so the event exists if and only if the change does; the relay publishes it after commit.
 */
export async function appendEvent<T extends EventType>(db: Queryable, source: string, event: NewEvent<T>): Promise<Envelope<EventData<T>>> {
  // A producer bug must fail the write, not poison every consumer downstream.
  const data = eventCatalogue[event.type].parse(event.data) as EventData<T>
  const envelope = createEnvelope({ source, type: event.type, subject: event.subject, data, actor: event.actor, correlationId: event.correlationId })
  await db.query(
    `INSERT INTO outbox (event_id, aggregate_type, aggregate_id, type, topic, envelope) VALUES ($1, $2, $3, $4, $5, $6)`,
    [envelope.id, event.type.split('.')[1], event.subject, event.type, topicOf(event.type), envelope],
  )
  // Delivered on commit only; the relay also polls, since a notification nobody hears is lost.
  await db.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`)
  return envelope
}
