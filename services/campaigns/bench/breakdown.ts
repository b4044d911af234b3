import pg from 'pg'
import { ms, summary } from './stats.ts'

/** One measured interaction: when the bench sent it and saw its move, in ms since the epoch. */
export interface Journey {
  readonly interactionId: string | undefined
  sentAt: number
  visibleAt: number
}

/** A `performance.now()` reading as ms since the epoch, comparable with the databases' clocks (same host). */
export const epoch = (now: number) => performance.timeOrigin + now

/**
 * Splits each interaction's journey at the databases' own timestamps: contacts' transaction begins
 * (its outbox row's created_at) → the relay has it acknowledged by Kafka (published_at) → campaigns'
 * consumer begins the transaction that applies it (its processed-events row) → the bench sees the
 * move. The four stages add up to the end-to-end latency.
 */
export async function breakdown(contactsUrl: string, campaigns: pg.Pool, journeys: Journey[]): Promise<string> {
  const contacts = new pg.Client({ connectionString: contactsUrl })
  await contacts.connect()
  try {
    const { rows: outbox } = await contacts.query(
      `SELECT event_id, envelope->'data'->>'id' AS interaction_id, extract(epoch FROM created_at) * 1000 AS created,
              extract(epoch FROM published_at) * 1000 AS published
         FROM outbox WHERE type = 'contacts.interaction.logged' AND published_at IS NOT NULL`,
    )
    const { rows: processed } = await campaigns.query(
      `SELECT event_id, extract(epoch FROM processed_at) * 1000 AS processed FROM processed_events WHERE event_type = 'contacts.interaction.logged'`,
    )
    const byInteraction = new Map(outbox.map((r) => [r.interaction_id, r]))
    const processedAt = new Map(processed.map((r) => [r.event_id, Number(r.processed)]))
    const stages: Record<string, number[]> = {
      'sent → contacts transaction begins': [],
      '→ published to Kafka (contacts: write, commit, relay)': [],
      '→ campaigns transaction begins (Kafka, consumer queue)': [],
      '→ visible (campaigns: apply, commit; bench sees it)': [],
    }
    const [begins, published, consumed, visible] = Object.values(stages) as [number[], number[], number[], number[]]
    for (const j of journeys) {
      const row = j.interactionId && byInteraction.get(j.interactionId)
      const at = row && processedAt.get(row.event_id)
      if (at === undefined) continue
      begins.push(Number(row.created) - j.sentAt)
      published.push(Number(row.published) - Number(row.created))
      consumed.push(at - Number(row.published))
      visible.push(j.visibleAt - at)
    }
    // A deadlock costs its victim deadlock_timeout (1 s) before the consumer retries: worth seeing.
    const { rows: [stats] } = await campaigns.query(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)
    const lines = Object.entries(stages).map(([stage, values]) => {
      const s = summary(values)
      return `    ${stage.padEnd(56)} ${ms(s.p50)} / ${ms(s.p99)}`
    })
    return [...lines, `    (n=${begins.length}; deadlocks in campaigns' database: ${stats.deadlocks})`].join('\n')
  } finally {
    await contacts.end()
  }
}
