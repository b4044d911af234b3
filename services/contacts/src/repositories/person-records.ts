import type { Queryable } from '@ccm/db'

export const duplicateReasons = [
  'same_email',
  'same_name',
  'same_phone',
  'similar_name_same_organization',
  'similar_name_same_state',
  'similar_name_same_interaction',
] as const

export interface DuplicateGroup {
  reason: (typeof duplicateReasons)[number]
  detail: string
  people: { id: string; givenName: string; familyName: string; emails: string[]; phones: string[] }[]
}

export interface DistinctPair {
  personIds: [string, string]
  judgedBy: string
  judgedAt: string
}

/** A pair in the order it is stored: the smaller id first. */
export const orderedPair = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a])

/**
 * A page of the keys migration 009 flagged (only those one person holds, if given), in key order, each
 * with the people who hold it and are still to be looked at together (names alike by trigrams, where the
 * key only blocked them together; pairs not judged distinct). Reads index entries for the page, whatever
 * the number of people.
 */
const duplicatesPage = `
  WITH page AS (
    SELECT kind, key, count(*) OVER () AS total FROM match_key_counts
     WHERE flagged AND ($3::uuid IS NULL OR (kind, key) IN (SELECT kind, key FROM match_keys WHERE person_id = $3))
     ORDER BY kind, key LIMIT $1 OFFSET $2
  )
  SELECT page.kind AS reason, page.total,
         CASE page.kind WHEN 'similar_name_same_organization'
                             THEN (SELECT o.name FROM organizations o WHERE o.id::text = split_part(page.key, ' ', 1))
                        WHEN 'similar_name_same_state' THEN split_part(page.key, ' ', 1)
                        WHEN 'similar_name_same_interaction' THEN split_part(page.key, ' ', 1)
                        ELSE page.key END AS detail,
         g.people
    FROM page CROSS JOIN LATERAL (
      WITH m AS (SELECT p.id, p.given_name, p.family_name, p.phones, p.search_key
                   FROM match_keys k JOIN people p ON p.id = k.person_id
                  WHERE k.kind = page.kind AND k.key = page.key ORDER BY k.person_id LIMIT 50),
      pairs AS (SELECT a.id AS a, b.id AS b FROM m a JOIN m b ON b.id > a.id
                 WHERE (page.kind NOT LIKE 'similar%' OR similarity(a.search_key, b.search_key) >= 0.6)
                   AND NOT EXISTS (SELECT 1 FROM distinct_people d WHERE d.person_a = a.id AND d.person_b = b.id))
      SELECT json_agg(json_build_object('id', m.id, 'givenName', m.given_name, 'familyName', m.family_name,
                'phones', m.phones,
                'emails', ARRAY(SELECT email FROM person_emails WHERE person_id = m.id ORDER BY position))
              ORDER BY m.id) AS people
        FROM m WHERE m.id IN (SELECT a FROM pairs UNION SELECT b FROM pairs)
    ) g
   ORDER BY page.kind, page.key`

/** The SQL behind merges, erasures and duplicate detection: moving and removing what a person owns. */
export function createPersonRecordsRepository(db: Queryable) {
  return {
    /** Within `timeoutMs` when given: then `client` must be in a transaction, which the limit lasts for. */
    async duplicates(
      page: { limit: number; offset: number; personId?: string },
      client: Queryable = db,
      timeoutMs?: number,
    ) {
      if (timeoutMs !== undefined) await client.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`)
      const { rows } = await client.query(duplicatesPage, [page.limit, page.offset, page.personId ?? null])
      return { items: rows.map(({ total: _t, ...g }) => g as DuplicateGroup), total: Number(rows[0]?.total ?? 0) }
    },

    /**
     * Brings the matching keys of up to `batch` people queued by writes up to date (migration 010), or of
     * `onlyIds` only (a merge or erasure settling its own people in its transaction); returns how many.
     */
    async settleMatchKeys(batch: number, client: Queryable = db, onlyIds?: string[]): Promise<number> {
      const { rows } = await client.query(`SELECT settle_match_keys($1, $2::uuid[]) AS settled`, [
        batch,
        onlyIds ?? null,
      ])
      return rows[0].settled
    },

    /** How many people wait for their keys to be settled. */
    async unsettledPeople(client: Queryable = db): Promise<number> {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM match_keys_pending`)
      return rows[0].n
    },

    /** Records the pair as two people; false if it already was. */
    async markDistinct(pair: [string, string], actor: string, client: Queryable): Promise<boolean> {
      const { rowCount } = await client.query(
        `INSERT INTO distinct_people (person_a, person_b, judged_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [...pair, actor],
      )
      return rowCount === 1
    },

    async getDistinct(pair: [string, string], client: Queryable = db): Promise<DistinctPair | null> {
      const { rows } = await client.query(
        `SELECT judged_by, judged_at FROM distinct_people WHERE person_a = $1 AND person_b = $2`,
        pair,
      )
      return rows[0]
        ? { personIds: pair, judgedBy: rows[0].judged_by, judgedAt: rows[0].judged_at.toISOString() }
        : null
    },

    async unmarkDistinct(pair: [string, string], client: Queryable): Promise<boolean> {
      const { rowCount } = await client.query(`DELETE FROM distinct_people WHERE person_a = $1 AND person_b = $2`, pair)
      return rowCount === 1
    },

    /**
     * Locks the people in id order, so two merges touching the same records wait for each other instead of deadlocking.
     */
    async lock(ids: string[], client: Queryable): Promise<void> {
      await client.query(`SELECT id FROM people WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids])
    },

    /** Moves the duplicates' roles and interactions onto the survivor; emails are set by the caller. */
    async moveOwnership(
      survivorId: string,
      duplicateIds: string[],
      keepPrimary: boolean,
      client: Queryable,
    ): Promise<void> {
      await client.query(`DELETE FROM person_emails WHERE person_id = ANY($1::uuid[])`, [duplicateIds])
      await client.query(
        `UPDATE affiliations SET person_id = $1, is_primary = is_primary AND NOT $3, updated_at = now()
          WHERE person_id = ANY($2::uuid[])`,
        [survivorId, duplicateIds, keepPrimary],
      )
      await client.query(
        `INSERT INTO interaction_people (interaction_id, person_id)
         SELECT interaction_id, $1 FROM interaction_people WHERE person_id = ANY($2::uuid[]) ON CONFLICT DO NOTHING`,
        [survivorId, duplicateIds],
      )
      await client.query(`DELETE FROM interaction_people WHERE person_id = ANY($1::uuid[])`, [duplicateIds])
      await client.query(`UPDATE people SET merged_into = $1 WHERE merged_into = ANY($2::uuid[])`, [
        survivorId,
        duplicateIds,
      ])
      await client.query(
        `UPDATE people SET merged_into = $1, version = version + 1, updated_at = now() WHERE id = ANY($2::uuid[])`,
        [survivorId, duplicateIds],
      )
    },

    async recordMerge(survivorId: string, duplicateIds: string[], actor: string, client: Queryable): Promise<string> {
      const { rows } = await client.query(
        `INSERT INTO merges (survivor_id, merged_ids, merged_by) VALUES ($1, $2, $3) RETURNING id`,
        [survivorId, duplicateIds, actor],
      )
      return rows[0].id
    },

    /** The records folded into this person over time, with their names: their personal data goes with the person's. */
    async mergedInto(id: string, client: Queryable): Promise<{ id: string; givenName: string; familyName: string }[]> {
      const { rows } = await client.query(`SELECT id, given_name, family_name FROM people WHERE merged_into = $1`, [id])
      return rows.map((r) => ({ id: r.id, givenName: r.given_name, familyName: r.family_name }))
    },

    /**
     * Takes the person off their interactions (counting them as an erased participant) and deletes the
     * records, their emails and roles. Their identity also goes from the interactions' text and its
     * audit rows: `linked` (name, family name, addresses, phones) where they took part, `anywhere` (the
     * full name, addresses and phones, specific enough not to hit someone else) in every other interaction.
     */
    async erase(
      ids: string[],
      patterns: { linked: string | null; anywhere: string | null },
      client: Queryable,
    ): Promise<void> {
      const pattern = `CASE WHEN i.id = ANY(l.ids) THEN $2 ELSE $3 END`
      const { rows } = await client.query(
        `WITH l AS (SELECT coalesce(array_agg(interaction_id), '{}') AS ids FROM interaction_people
                     WHERE person_id = ANY($1::uuid[]))
         UPDATE interactions i SET erased_participants = erased_participants + (i.id = ANY(l.ids))::int,
                summary = coalesce(regexp_replace(summary, ${pattern}, '[erased]', 'gi'), summary),
                notes = coalesce(regexp_replace(notes, ${pattern}, '[erased]', 'gi'), notes)
           FROM l
          WHERE i.id = ANY(l.ids) OR i.summary ~* $3 OR i.notes ~* $3
          RETURNING i.id, i.id = ANY(l.ids) AS linked`,
        [ids, patterns.linked, patterns.anywhere],
      )
      // The interactions' own audit rows quote their summaries: the same words go from there.
      const scrub = (column: string) =>
        `CASE WHEN ${column} IS NULL THEN NULL
              ELSE coalesce(regexp_replace(${column}::text, CASE WHEN t.linked THEN $1 ELSE $2 END, '[erased]', 'gi'),
                            ${column}::text)::jsonb END`
      await client.query(
        `UPDATE audit_log a SET before = ${scrub('a.before')}, after = ${scrub('a.after')}
           FROM unnest($3::text[], $4::boolean[]) AS t(id, linked)
          WHERE a.entity_type = 'interaction' AND a.entity_id = t.id`,
        [patterns.linked, patterns.anywhere, rows.map((r) => r.id), rows.map((r) => r.linked)],
      )
      await client.query(`DELETE FROM interaction_people WHERE person_id = ANY($1::uuid[])`, [ids])
      const gone = await client.query(`DELETE FROM people WHERE id = ANY($1::uuid[]) RETURNING search_key`, [ids])
      // The search index forgets them with the rows (a trigger); a word of their name no one else has leaves the
      // vocabulary too.
      await client.query(
        `DELETE FROM search_vocabulary v
          WHERE v.word = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM search_words w WHERE w.word = v.word)`,
        [gone.rows.flatMap((r) => r.search_key.split(' '))],
      )
    },

    /** Files the erasure: the only row left that links the person's id to the reference their audit rows keep. */
    async recordErasure(ids: string[], actor: string, client: Queryable): Promise<Map<string, string>> {
      const { rows } = await client.query(
        `INSERT INTO erasures (person_id, erased_by) SELECT unnest($1::uuid[]), $2 RETURNING person_id, reference`,
        [ids, actor],
      )
      return new Map(rows.map((r) => [r.person_id, r.reference]))
    },

    /**
     * Keeps who changed what and when about the person, but not the values (each becomes "[erased]"),
     * and files the rows under the erasure's reference instead of their id.
     */
    async scrubAudit(ids: string[], client: Queryable): Promise<number> {
      const scrub = (column: string) =>
        `CASE WHEN ${column} IS NULL THEN NULL
              ELSE (SELECT coalesce(jsonb_object_agg(k, '[erased]'::text), '{}') FROM jsonb_object_keys(${column}) k)
          END`
      const { rowCount } = await client.query(
        `UPDATE audit_log a
            SET before = ${scrub('a.before')}, after = ${scrub('a.after')}, entity_id = 'erased:' || e.reference
           FROM erasures e
          WHERE a.entity_type = 'person' AND a.entity_id = e.person_id::text AND e.person_id = ANY($1::uuid[])`,
        [ids],
      )
      return rowCount ?? 0
    },

    /**
     * Everything else that quotes the person (`traces`: a pattern of their ids, addresses and phones):
     * other audit rows (a merge naming them, an interaction listing them) and import reports keep the
     * row with "[erased]" in place of the value; merge records go; outbox rows already published go
     * (Kafka has them), those still waiting lose the person (their own events go, others drop the id).
     */
    async forgetTraces(ids: string[], emails: string[], traces: string, client: Queryable): Promise<void> {
      const scrub = (column: string) => `regexp_replace(${column}::text, $1, '[erased]', 'gi')`
      await client.query(
        `UPDATE audit_log
            SET before = ${scrub('before')}::jsonb, after = ${scrub('after')}::jsonb, action = ${scrub('action')}
          WHERE before::text ~* $1 OR after::text ~* $1 OR action ~* $1`,
        [traces],
      )
      await client.query(
        `UPDATE imports i SET report = (
           SELECT jsonb_agg(CASE WHEN r->>'personId' = ANY($2::text[]) OR lower(r->>'email') = ANY($3::text[])
                                 THEN ${scrub(`(r || '{"email": "[erased]", "personId": null}')`)}::jsonb
                                 ELSE ${scrub('r')}::jsonb END ORDER BY n)
             FROM jsonb_array_elements(i.report) WITH ORDINALITY AS x(r, n))
          WHERE i.report::text ~* $1`,
        [traces, ids, emails.map((e) => e.toLowerCase())],
      )
      await client.query(`DELETE FROM merges WHERE survivor_id = ANY($1::uuid[]) OR merged_ids && $1::uuid[]`, [ids])
      await client.query(
        `DELETE FROM outbox
          WHERE (published_at IS NOT NULL OR aggregate_id = ANY($2::text[])) AND envelope::text ~* $1`,
        [traces, ids],
      )
      await client.query(
        `UPDATE outbox SET envelope = jsonb_set(envelope, '{data,people}',
                (SELECT coalesce(jsonb_agg(p), '[]') FROM jsonb_array_elements(envelope #> '{data,people}') p
                  WHERE p #>> '{}' <> ALL($1::text[])))
          WHERE published_at IS NULL AND envelope #> '{data,people}' ?| $1::text[]`,
        [ids],
      )
    },
  }
}

export type PersonRecordsRepository = ReturnType<typeof createPersonRecordsRepository>
