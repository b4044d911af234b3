import pg from 'pg'
import { collectEvents } from '@ccm/events'
import { ms, summary } from '@ccm/testing'

/** One measured interaction: when the bench sent it and saw its move, in ms since the epoch. */
export interface Journey {
  readonly interactionId: string | undefined
  sentAt: number
  visibleAt: number
}

/** A `performance.now()` reading as ms since the epoch, comparable with the databases' clocks (same host). */
export const epoch = (now: number) => performance.timeOrigin + now

/**
 * Splits each interaction's journey at timestamps taken on the way: contacts' transaction begins (its
 * outbox row's created_at) → the relay sends it (the Kafka message's timestamp, set by the producer,
 * read back from the topic once the run is over) → campaigns' consumer begins the transaction that
 * applies it (its processed-events row) → the bench sees the move. The four stages add up to the
 * end-to-end latency.
 */
export async function breakdown(
  contactsUrl: string,
  campaigns: pg.Pool,
  journeys: Journey[],
  kafka: { brokers: string[]; topic: string },
): Promise<string> {
  const contacts = new pg.Client({ connectionString: contactsUrl })
  await contacts.connect()
  const topic = await collectEvents(kafka.brokers, [kafka.topic])
  try {
    const { rows: outbox } = await contacts.query(
      `SELECT event_id, envelope->'data'->>'id' AS interaction_id, extract(epoch FROM created_at) * 1000 AS created
         FROM outbox WHERE type = 'contacts.interaction.logged'`,
    )
    const { rows: processed } = await campaigns.query(
      `SELECT event_id, extract(epoch FROM processed_at) * 1000 AS processed FROM processed_events
        WHERE event_type = 'contacts.interaction.logged'`,
    )
    await topic.waitFor((e) => e.type === 'contacts.interaction.logged', outbox.length, 60_000)
    const sentToKafka = new Map(topic.messages.map((m) => [m.event?.id, m.timestamp]))
    const byInteraction = new Map(outbox.map((r) => [r.interaction_id, r]))
    const processedAt = new Map(processed.map((r) => [r.event_id, Number(r.processed)]))
    const stages: Record<string, number[]> = {
      'sent → contacts transaction begins': [],
      '→ sent to Kafka (contacts: write, commit, relay)': [],
      '→ campaigns transaction begins (Kafka, consumer queue)': [],
      '→ visible (campaigns: apply, commit; bench sees it)': [],
    }
    const [begins, published, consumed, visible] = Object.values(stages) as [number[], number[], number[], number[]]
    for (const j of journeys) {
      const row = j.interactionId && byInteraction.get(j.interactionId)
      const at = row && processedAt.get(row.event_id)
      const sent = row && sentToKafka.get(row.event_id)
      if (at === undefined || sent === undefined) continue
      begins.push(Number(row.created) - j.sentAt)
      published.push(sent - Number(row.created))
      consumed.push(at - sent)
      visible.push(j.visibleAt - at)
    }
    // A deadlock costs its victim deadlock_timeout (1 s) before the consumer retries: worth seeing.
    const {
      rows: [stats],
    } = await campaigns.query(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)
    const lines = Object.entries(stages).map(([stage, values]) => {
      const s = summary(values)
      return `    ${stage.padEnd(56)} ${ms(s.p50)} / ${ms(s.p99)}`
    })
    return [...lines, `    (n=${begins.length}; deadlocks in campaigns' database: ${stats.deadlocks})`].join('\n')
  } finally {
    await Promise.all([contacts.end(), topic.close()])
  }
}
