import { createHash } from 'node:crypto'
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

/** A word of the query and the indexed words it stands for, each with how well it matches (1 for the word itself). */
interface QueryWord {
  word: string
  hits: { word: string; s: number }[]
}

const MAX_QUERY_WORDS = 6

/**
 * Each query word is matched against the vocabulary of indexed words (migration 005): exactly (1),
 * as a prefix (0.8 to 1, the closer the length the higher; someone typing), or as a typo (below 0.7:
 * trigram-similar and one edit away, two for words of 8 letters or more). Short words other than
 * the last must match exactly, or "d" in "cote d ivoire" would match every name starting with d.
 */
const vocabularySql = `
  WITH query_words AS (
    SELECT n, word, n = max(n) OVER () AS last
      FROM regexp_split_to_table(f_search_key($1), ' ') WITH ORDINALITY AS t(word, n) WHERE word <> ''
  )
  SELECT qw.n, qw.word AS query_word, v.word, v.s
    FROM (SELECT * FROM query_words ORDER BY n LIMIT ${MAX_QUERY_WORDS}) qw LEFT JOIN LATERAL (
      SELECT sv.word,
             CASE WHEN sv.word LIKE qw.word || '%' THEN 0.8 + 0.2 * length(qw.word)::float8 / length(sv.word)
                  ELSE 0.7 * (1 - levenshtein_less_equal(sv.word, qw.word, 2)::float8
                                  / greatest(length(sv.word), length(qw.word))) END AS s
        FROM search_vocabulary sv
       WHERE sv.word = qw.word
          OR ((qw.last OR length(qw.word) >= 3) AND sv.word LIKE qw.word || '%')
          OR (sv.word % qw.word
              AND levenshtein_less_equal(sv.word, qw.word, 2)
                    <= CASE WHEN length(qw.word) >= 8 THEN 2 WHEN length(qw.word) >= 4 THEN 1 ELSE 0 END)
       ORDER BY 2 DESC, sv.word LIMIT 40
    ) v ON true
   ORDER BY qw.n, v.s DESC, v.word`

/**
 * An entity must match every query word. Its score is 0.9 × the mean of its best match per word, plus
 * up to 0.1 for how many of its words the query covers, so "Kenya" ranks above a long name that merely
 * contains it. Rounded, so that the cursor compares exactly what was ranked.
 */
const score = (meanMatch: string, queryWords: string, nameWords: string) =>
  `round((0.9 * ${meanMatch} + 0.1 * least(1, ${queryWords}::float8 / ${nameWords}))::numeric, 4)`

/**
 * A state's id is its ISO3 code, not a UUID: cast only the ids of the given type (SQL does not promise to check the
 * type first).
 */
const asUuid = (alias: string, type: string) => `(CASE WHEN ${alias}.type = '${type}' THEN ${alias}.id END)::uuid`

/**
 * Conditions on a candidate `m` (type, id, score): the filters, then the cursor. Tags belong to people
 * and organisations, treaty status and region to states (and, through them, the rest).
 */
function conditions(filter: SearchFilter, cursor: SearchCursor | null, w: ReturnType<typeof whereBuilder>): string[] {
  const all: string[] = []
  const stateParts = (alias: string) => {
    const parts: string[] = []
    if (filter.status) parts.push(`${alias}.status = ${w.param(filter.status)}`)
    if (filter.region) parts.push(`${alias}.regional_group = ${w.param(filter.region)}`)
    return parts
  }
  if (filter.type) all.push(`m.type = ${w.param(filter.type)}`)
  if (filter.tag) all.push(`m.type <> 'state'`)
  const person: string[] = []
  const organization: string[] = []
  if (filter.tag) {
    person.push(`p.tags @> ARRAY[${w.param(filter.tag)}]::text[]`)
    organization.push(`o.tags @> ARRAY[${w.param(filter.tag)}]::text[]`)
  }
  const ofPersonState = stateParts('st')
  if (ofPersonState.length) {
    person.push(`EXISTS (SELECT 1 FROM affiliations a JOIN organizations o ON o.id = a.organization_id
                                   JOIN states st ON st.iso3 = o.country
                          WHERE a.person_id = p.id AND (a.end_date IS NULL OR a.end_date >= current_date)
                            AND ${ofPersonState.join(' AND ')})`)
    organization.push(
      `EXISTS (SELECT 1 FROM states st WHERE st.iso3 = o.country AND ${stateParts('st').join(' AND ')})`,
    )
  }
  const ofState = stateParts('s')
  if (person.length)
    all.push(
      `(m.type <> 'person'
        OR EXISTS (SELECT 1 FROM people p WHERE p.id = ${asUuid('m', 'person')} AND ${person.join(' AND ')}))`,
    )
  if (organization.length)
    all.push(
      `(m.type <> 'organization'
        OR EXISTS (SELECT 1 FROM organizations o
                    WHERE o.id = ${asUuid('m', 'organization')} AND ${organization.join(' AND ')}))`,
    )
  if (ofState.length)
    all.push(`(m.type <> 'state' OR EXISTS (SELECT 1 FROM states s WHERE s.iso3 = m.id AND ${ofState.join(' AND ')}))`)
  if (cursor) {
    all.push(`(m.score < ${w.param(cursor.score)}::numeric
               OR (m.score = ${w.param(cursor.score)}::numeric
                   AND (m.type, m.id) > (${w.param(cursor.type)}, ${w.param(cursor.id)})))`)
  }
  return all
}

const andAll = (parts: string[]) => parts.map((p) => `AND ${p}`).join(' ')

/**
 * One query word: for each indexed word it stands for, best first, the index yields its entities in
 * ranking order (fewer words first), so a page's worth is read per word. An entity whose name holds
 * several of these words is counted under the best one only, so that it appears once, on one page.
 */
function rankOneWord(
  word: QueryWord,
  filter: SearchFilter,
  limit: number,
  cursor: SearchCursor | null,
  w: ReturnType<typeof whereBuilder>,
): string {
  const words = w.param(word.hits.map((h) => h.word))
  const scores = w.param(word.hits.map((h) => h.s))
  return `
    WITH hits AS (
      SELECT word, s,
             coalesce(array_agg(word) OVER (ORDER BY rank ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), '{}')
               AS better
        FROM unnest(${words}::text[], ${scores}::float8[]) WITH ORDINALITY AS h(word, s, rank)
    )
    SELECT best.type, best.id, best.score FROM hits h CROSS JOIN LATERAL (
      SELECT m.* FROM (
        SELECT sw.entity_type AS type, sw.entity_id AS id, sw.words, ${score('h.s', '1', 'sw.words')} AS score
          FROM search_words sw WHERE sw.word = h.word AND NOT sw.name_words && h.better
      ) m WHERE true ${andAll(conditions(filter, cursor, w))}
      ORDER BY m.words, m.type, m.id LIMIT ${w.param(limit)}
    ) best`
}

/**
 * Several query words: the entries of the longest one (longer words are rarer) are read and kept when
 * the name also holds a match for each other word; only those few are scored.
 */
function rankAllWords(
  words: QueryWord[],
  filter: SearchFilter,
  cursor: SearchCursor | null,
  w: ReturnType<typeof whereBuilder>,
): string {
  const driver = words.reduce((longest, word) => (word.word.length > longest.word.length ? word : longest))
  const others = words
    .filter((word) => word !== driver)
    .map((word) => `sw.name_words && ${w.param(word.hits.map((h) => h.word))}::text[]`)
  const hitWords = w.param(words.flatMap((word) => word.hits.map((h) => h.word)))
  const hitScores = w.param(words.flatMap((word) => word.hits.map((h) => h.s)))
  const hitNs = w.param(words.flatMap((word, n) => word.hits.map(() => n)))
  const bestPerWord = `(SELECT avg(best)
                          FROM (SELECT max(h.s) AS best FROM hits h WHERE h.word = ANY(c.name_words) GROUP BY h.n) b)`
  return `
    WITH hits AS (SELECT * FROM unnest(${hitWords}::text[], ${hitScores}::float8[], ${hitNs}::int[]) AS h(word, s, n)),
    candidates AS (
      SELECT DISTINCT sw.entity_type AS type, sw.entity_id AS id, sw.words, sw.name_words
        FROM search_words sw WHERE sw.word = ANY(${w.param(driver.hits.map((h) => h.word))}::text[]) ${andAll(others)}
    )
    SELECT m.*
      FROM (SELECT c.type, c.id, ${score(bestPerWord, String(words.length), 'c.words')} AS score FROM candidates c) m
     WHERE true ${andAll(conditions(filter, cursor, w))}`
}

/** Search runs on every keystroke: each shape of its SQL is parsed and planned once per connection. */
const prepared = (text: string, values: unknown[]) => ({
  name: `search_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`,
  text,
  values,
})

export function createSearchRepository(db: Queryable) {
  async function queryWords(text: string, client: Queryable): Promise<QueryWord[]> {
    const { rows } = await client.query(prepared(vocabularySql, [text]))
    const words = new Map<number, QueryWord>()
    for (const row of rows as Row[]) {
      const word: QueryWord = words.get(row.n) ?? { word: row.query_word, hits: [] }
      if (row.word !== null) word.hits.push({ word: row.word, s: row.s })
      words.set(row.n, word)
    }
    return [...words.values()]
  }

  return {
    async search(
      text: string,
      filter: SearchFilter,
      limit: number,
      cursor: SearchCursor | null,
      client: Queryable = db,
    ): Promise<SearchHit[]> {
      const words = await queryWords(text, client)
      // A word that matches nothing: no entity can match them all.
      if (words.length === 0 || words.some((word) => word.hits.length === 0)) return []
      const w = whereBuilder()
      const candidates =
        words.length === 1 ? rankOneWord(words[0]!, filter, limit, cursor, w) : rankAllWords(words, filter, cursor, w)
      const { rows } = await client.query(
        prepared(
          `WITH ranked AS (SELECT r.type, r.id, r.score FROM (${candidates}) r
                            ORDER BY r.score DESC, r.type, r.id LIMIT ${w.param(limit)})
         SELECT r.type, r.id, r.score::text AS score,
                coalesce(p.given_name || ' ' || p.family_name, o.name, s.name) AS title,
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
        ),
      )
      return rows.map((r: Row) => ({ type: r.type, id: r.id, title: r.title, subtitle: r.subtitle, score: r.score }))
    },
  }
}

export type SearchRepository = ReturnType<typeof createSearchRepository>
