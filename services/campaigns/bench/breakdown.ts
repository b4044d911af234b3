import pg from 'pg'
import { ms, summary } from './stats.ts'

/**
 * Splits each interaction's journey with the databases' own timestamps: committed in contacts' outbox →
 * published by the relay → taken by campaigns' consumer (its processed-events row, written first in the
 * handler's transaction).
 */
export async function breakdown(contactsUrl: string, campaigns: pg.Pool): Promise<string> {
  const contacts = new pg.Client({ connectionString: contactsUrl })
  await contacts.connect()
  try {
    const { rows: outbox } = await contacts.query(
      `SELECT event_id, extract(epoch FROM created_at) * 1000 AS created, extract(epoch FROM published_at) * 1000 AS published
         FROM outbox WHERE type = 'contacts.interaction.logged' AND published_at IS NOT NULL`,
    )
    const { rows: processed } = await campaigns.query(
      `SELECT event_id, extract(epoch FROM processed_at) * 1000 AS processed FROM processed_events WHERE event_type = 'contacts.interaction.logged'`,
    )
    const processedAt = new Map(processed.map((r) => [r.event_id, Number(r.processed)]))
    const relay: number[] = []
    const consume: number[] = []
    for (const r of outbox) {
      relay.push(Number(r.published) - Number(r.created))
      const at = processedAt.get(r.event_id)
      if (at !== undefined) consume.push(at - Number(r.published))
    }
    const show = (values: number[]) => {
      const s = summary(values)
      return `${ms(s.p50)} / ${ms(s.p99)}`
    }
    return `outbox→published ${show(relay)}; published→consumed ${show(consume)}`
  } finally {
    await contacts.end()
  }
}

