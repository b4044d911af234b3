import type { Queryable } from '@ccm/db'
import { whereBuilder, type Row } from './rows.ts'

export const searchTypes = ['person', 'organization', 'state'] as const
export type SearchType = (typeof searchTypes)[number]

export interface SearchFilter {
  type?: SearchType
  status?: string
  region?: string
  tag?: string
}

export interface SearchHit {
  type: SearchType
  id: string
  title: string
  subtitle: string | null
  /** As text, exactly as ranked: the cursor compares it again. */
  score: string
}

export interface SearchCursor {
  score: string
  type: string
  id: string
}

/**
 * Each query word is matched against the vocabulary of indexed words (migration 005): exactly (1),
 * as a prefix (0.8 to 1, the closer the length the higher; someone typing), or as a typo (below 0.7:
 * trigram-similar and one edit away, two for words of 8 letters or more). Short words other than
 * the last must match exactly, or "d" in "cote d ivoire" would match every name starting with d.
 * An entity must match every query word; its score is 0.9 × the mean of its best match per word,
 * plus up to 0.1 for how many of its words the query covers, so "Kenya" ranks above a long name
 * that merely contains it. Merged people and archived organisations have no words indexed.
 */
const matched = (q: string, typeCondition: string) => `
  query_words AS (
    SELECT n, word, n = max(n) OVER () AS last FROM regexp_split_to_table(${q}, ' ') WITH ORDINALITY AS t(word, n) WHERE word <> ''
  ),
  vocabulary_hits AS (
    SELECT qw.n, v.word, v.s FROM (SELECT * FROM query_words ORDER BY n LIMIT 6) qw CROSS JOIN LATERAL (
      SELECT sv.word,
             CASE WHEN sv.word LIKE qw.word || '%' THEN 0.8 + 0.2 * length(qw.word)::numeric / length(sv.word)
                  ELSE 0.7 * (1 - levenshtein_less_equal(sv.word, qw.word, 2)::numeric / greatest(length(sv.word), length(qw.word))) END AS s
        FROM search_vocabulary sv
       WHERE sv.word = qw.word
          OR ((qw.last OR length(qw.word) >= 3) AND sv.word LIKE qw.word || '%')
          OR (sv.word % qw.word AND levenshtein_less_equal(sv.word, qw.word, 2) <= CASE WHEN length(qw.word) >= 8 THEN 2 WHEN length(qw.word) >= 4 THEN 1 ELSE 0 END)
       ORDER BY 2 DESC, sv.word LIMIT 40
    ) v
  ),
  entity_hits AS (
    SELECT w.entity_type, w.entity_id, vh.n, max(vh.s) AS s, max(w.words) AS words
      FROM vocabulary_hits vh JOIN search_words w ON w.word = vh.word ${typeCondition}
     GROUP BY w.entity_type, w.entity_id, vh.n
  ),
  matched AS (
    SELECT entity_type AS type, entity_id AS id,
           round(0.9 * avg(s) + 0.1 * least(1, count(*)::numeric / max(words)), 4) AS score
      FROM entity_hits GROUP BY entity_type, entity_id
    HAVING count(*) = (SELECT count(*) FROM query_words)
  )`

/** A state's id is its ISO3 code, not a UUID: cast only the ids of the given type (SQL does not promise to check the type first). */
const asUuid = (alias: string, type: string) => `(CASE WHEN ${alias}.type = '${type}' THEN ${alias}.id END)::uuid`

/** Narrows each kind of result; tags belong to people and organisations, treaty status and region to states (and, through them, the rest). */
function filterConditions(filter: SearchFilter, w: ReturnType<typeof whereBuilder>): string[] {
  const conditions: string[] = []
  const stateParts = (alias: string) => {
    const parts: string[] = []
    if (filter.status) parts.push(`${alias}.status = ${w.param(filter.status)}`)
    if (filter.region) parts.push(`${alias}.regional_group = ${w.param(filter.region)}`)
    return parts
  }
  if (filter.tag) conditions.push(`m.type <> 'state'`)
  const person: string[] = []
  const organization: string[] = []
  if (filter.tag) {
    person.push(`p.tags @> ARRAY[${w.param(filter.tag)}]::text[]`)
    organization.push(`o.tags @> ARRAY[${w.param(filter.tag)}]::text[]`)
  }
  const ofPersonState = stateParts('st')
  if (ofPersonState.length) {
    person.push(`EXISTS (SELECT 1 FROM affiliations a JOIN organizations o ON o.id = a.organization_id JOIN states st ON st.iso3 = o.country
                          WHERE a.person_id = p.id AND (a.end_date IS NULL OR a.end_date >= current_date) AND ${ofPersonState.join(' AND ')})`)
    organization.push(`EXISTS (SELECT 1 FROM states st WHERE st.iso3 = o.country AND ${stateParts('st').join(' AND ')})`)
  }
  const ofState = stateParts('s')
  if (person.length) conditions.push(`(m.type <> 'person' OR EXISTS (SELECT 1 FROM people p WHERE p.id = ${asUuid('m', 'person')} AND ${person.join(' AND ')}))`)
  if (organization.length) conditions.push(`(m.type <> 'organization' OR EXISTS (SELECT 1 FROM organizations o WHERE o.id = ${asUuid('m', 'organization')} AND ${organization.join(' AND ')}))`)
  if (ofState.length) conditions.push(`(m.type <> 'state' OR EXISTS (SELECT 1 FROM states s WHERE s.iso3 = m.id AND ${ofState.join(' AND ')}))`)
  return conditions
}

export function createSearchRepository(db: Queryable) {
  return {
    async search(text: string, filter: SearchFilter, limit: number, cursor: SearchCursor | null, client: Queryable = db): Promise<SearchHit[]> {
      const w = whereBuilder()
      const q = `f_search_key(${w.param(text)})`
      const typeCondition = filter.type ? `AND w.entity_type = ${w.param(filter.type)}` : ''
      const conditions = filterConditions(filter, w)
      if (cursor) {
        conditions.push(`(m.score < ${w.param(cursor.score)}::numeric
                          OR (m.score = ${w.param(cursor.score)}::numeric AND (m.type, m.id) > (${w.param(cursor.type)}, ${w.param(cursor.id)})))`)
      }
      const { rows } = await client.query(
        `WITH ${matched(q, typeCondition)},
         ranked AS (
           SELECT m.* FROM matched m ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
            ORDER BY m.score DESC, m.type, m.id LIMIT ${w.param(limit)}
         )
         SELECT r.type, r.id, r.score::text AS score, coalesce(p.given_name || ' ' || p.family_name, o.name, s.name) AS title,
                CASE r.type
                  WHEN 'organization' THEN o.short_name
                  WHEN 'state' THEN replace(s.status, '_', ' ')
                  ELSE (SELECT ao.name FROM affiliations a JOIN organizations ao ON ao.id = a.organization_id
                         WHERE a.person_id = p.id AND (a.end_date IS NULL OR a.end_date >= current_date)
                         ORDER BY a.is_primary DESC, a.start_date DESC NULLS LAST LIMIT 1)
                END AS subtitle
           FROM ranked r
           LEFT JOIN people p ON p.id = ${asUuid('r', 'person')}
           LEFT JOIN organizations o ON o.id = ${asUuid('r', 'organization')}
           LEFT JOIN states s ON r.type = 'state' AND s.iso3 = r.id
          ORDER BY r.score DESC, r.type, r.id`,
        w.values,
      )
      return rows.map((r: Row) => ({ type: r.type, id: r.id, title: r.title, subtitle: r.subtitle, score: r.score }))
    },
  }
}

export type SearchRepository = ReturnType<typeof createSearchRepository>
