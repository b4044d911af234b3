import type { Db } from '@ccm/db'
import { awaitLater } from '@ccm/db'
import type { EventData, EventType } from '../catalogue/index.ts'
import type { Envelope } from '../envelope.ts'
import type { CommitHandoff } from '../relay/handoff.ts'
import { withWrites } from '../writes.ts'
import type { ParsedEvent } from './parse.ts'

export interface ApplyOptions {
  db: Db
  groupId: string
  /** The `source` of the events the handlers emit. */
  source: string
  handoff?: CommitHandoff
}

/**
 * When a transaction learns which of its events this group has applied before (its processed-events rows):
 * - `after handlers`: the rows are sent with BEGIN and the handlers start at once, behind them on the
 *   pipelined connection; a batch that turns out to hold an event applied before is undone.
 * - `before handlers`: the rows' outcome is awaited first, and the events applied before are skipped.
 */
type DuplicateCheck = 'after handlers' | 'before handlers'

/** The batch held an event this group had applied already: it is undone, to be applied again checking first. */
class AlreadyApplied extends Error {
  override name = 'AlreadyApplied'
}

/**
 * Applies the events in order in one transaction, with their processed-events rows: each is applied
 * at most once per group. The check comes after the handlers, since events are nearly always new; if one
 * is not (redelivered, or twice in the batch), the batch is applied again with the check before them.
 */
export async function applyOnce(options: ApplyOptions, items: ParsedEvent[]): Promise<void> {
  try {
    await applyInTransaction(options, items, 'after handlers')
  } catch (error) {
    if (!(error instanceof AlreadyApplied)) throw error
    await applyInTransaction(options, items, 'before handlers')
  }
}

async function applyInTransaction(
  { db, groupId, source, handoff }: ApplyOptions,
  items: ParsedEvent[],
  check: DuplicateCheck,
): Promise<void> {
  const done = await withWrites(
    db,
    source,
    async ({ client, writes }) => {
      // The handlers' statements queue behind it, and fail too if it did.
      const marked = awaitLater(
        client.query<{ event_id: string }>({
          // Named, so each connection plans it once: the statements run for every batch are the hot path.
          name: 'consumer-mark-processed',
          text: `INSERT INTO processed_events (consumer_group, event_id, event_type)
             SELECT $1, id, type FROM unnest($2::uuid[], $3::text[]) AS e(id, type)
             ON CONFLICT DO NOTHING RETURNING event_id`,
          values: [groupId, items.map((i) => i.event.id), items.map((i) => i.event.type)],
        }),
      )
      // Postgres returns uuids in lower case, whatever case the producer wrote.
      const freshIn = async () => new Set((await marked).rows.map((r) => r.event_id))
      const fresh = check === 'before handlers' ? await freshIn() : null
      const applied: boolean[] = []
      try {
        for (const { event, handler, log } of items) {
          applied.push(fresh ? fresh.delete(event.id.toLowerCase()) : true)
          if (applied.at(-1)) await handler(event as Envelope<EventData<EventType>>, { client, log, writes })
        }
      } catch (error) {
        // A failed mark is the cause of what failed behind it (freshIn throws it); a handler may also
        // have failed on an event it had applied before, which the check before handlers skips.
        if (!fresh && (await freshIn()).size < items.length) throw new AlreadyApplied()
        throw error
      }
      if (!fresh && (await freshIn()).size < items.length) throw new AlreadyApplied()
      return applied
    },
    handoff,
  )
  items.forEach(({ log }, i) => log.debug({ applied: done[i] }, done[i] ? 'event applied' : 'duplicate event skipped'))
}
