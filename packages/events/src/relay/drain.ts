import type pg from 'pg'
import { awaitLater } from '@ccm/db'
import type { PublishedMarks } from './marks.ts'
import type { Outgoing } from './publish.ts'

/**
 * The drain path: reads the next batch of the outbox's unpublished rows, in id order, which is commit
 * order for each aggregate (its transactions lock its row in turn). It runs on the relay's own session,
 * not the pool: it never queues behind the requests, and the advisory lock that session holds already
 * makes it the only relay, so no transaction or row lock is needed (if the session dies, the lock goes
 * with it and the drain cannot go on).
 */
export async function readOutboxBatch(
  session: pg.Client,
  marks: PublishedMarks,
  batchSize: number,
): Promise<Outgoing[]> {
  marks.send() // ahead of the SELECT on the same session, so it does not read what is published
  const selected = awaitLater(
    session.query<Outgoing>(
      `SELECT event_id AS "eventId", type, envelope->>'correlationid' AS "correlationId", topic,
              aggregate_id AS key, envelope::text AS value
         FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1`,
      [batchSize],
    ),
  )
  await marks.settle() // a failed mark is reported here; its rows are in this SELECT again
  return (await selected).rows
}
