import type { Queryable } from '@ccm/db'
import type { Row } from './rows.ts'

export interface TimelineEntry {
  kind: 'interaction' | 'treaty_step' | 'affiliation_started' | 'affiliation_ended'
  at: string
  id: string
  title: string
  detail: Record<string, unknown>
}

const interactionEntry = `'interaction' AS kind, i.occurred_at AS sort_at, to_json(i.occurred_at) #>> '{}' AS at,
  i.id::text AS id, i.summary AS title,
  json_build_object('kind', i.kind, 'confidentiality', i.confidentiality, 'author', i.author,
                    'campaignId', i.campaign_id) AS detail`

const toEntry = (r: Row): TimelineEntry => ({
  kind: r.kind,
  at: r.kind === 'interaction' ? new Date(r.at).toISOString() : r.at,
  id: r.id,
  title: r.title,
  detail: r.detail,
})

async function page(client: Queryable, union: string, values: unknown[], limit: number, offset: number) {
  const { rows } = await client.query(
    `SELECT kind, at, id, title, detail, count(*) OVER () AS total FROM (${union}) t
      ORDER BY sort_at DESC, id DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
    [...values, limit, offset],
  )
  return { items: rows.map(toEntry), total: rows[0]?.total ?? 0 }
}

export function createTimelinesRepository(db: Queryable) {
  return {
    /** A state's depositary steps and the interactions concerning it, newest first. */
    async ofState(iso3: string, limit: number, offset: number, client: Queryable = db) {
      return page(
        client,
        `
        SELECT ${interactionEntry}
          FROM interactions i JOIN interaction_states s ON s.interaction_id = i.id WHERE s.iso3 = $1
        UNION ALL
        SELECT 'treaty_step', ts.date::timestamptz, ts.date::text, ts.id::text, ts.kind,
               json_build_object('fromStatus', ts.from_status, 'toStatus', ts.to_status, 'source', ts.source)
          FROM treaty_steps ts WHERE ts.iso3 = $1`,
        [iso3],
        limit,
        offset,
      )
    },

    /** A person's interactions and the starts and ends of their roles, newest first. */
    async ofPerson(personId: string, limit: number, offset: number, client: Queryable = db) {
      const detail = `json_build_object('organizationId', a.organization_id, 'organizationName', o.name,
                                        'role', a.role)`
      const title = `coalesce(a.role || ' at ', '') || o.name`
      return page(
        client,
        `
        SELECT ${interactionEntry}
          FROM interactions i JOIN interaction_people p ON p.interaction_id = i.id WHERE p.person_id = $1
        UNION ALL
        SELECT 'affiliation_started', coalesce(a.start_date::timestamptz, a.created_at),
               coalesce(a.start_date::text, a.created_at::date::text),
               a.id::text, ${title}, ${detail}
          FROM affiliations a JOIN organizations o ON o.id = a.organization_id WHERE a.person_id = $1
        UNION ALL
        SELECT 'affiliation_ended', a.end_date::timestamptz, a.end_date::text, a.id::text, ${title}, ${detail}
          FROM affiliations a JOIN organizations o ON o.id = a.organization_id
         WHERE a.person_id = $1 AND a.end_date IS NOT NULL`,
        [personId],
        limit,
        offset,
      )
    },
  }
}

export type TimelinesRepository = ReturnType<typeof createTimelinesRepository>
