import type { Queryable } from '@ccm/db'

export interface DuplicateGroup {
  reason: 'same_email' | 'similar_name_same_organization'
  detail: string
  people: { id: string; givenName: string; familyName: string; emails: string[] }[]
}

/** The SQL behind merges, erasures and duplicate detection: moving and removing what a person owns. */
export function createPersonRecordsRepository(db: Queryable) {
  return {
    /** Same address on two live records, or names alike (trigram similarity ≥ 0.6) at the same current organisation. */
    async duplicates(limit: number, offset: number, client: Queryable = db) {
      const { rows } = await client.query(
        `WITH live AS (SELECT id, given_name, family_name, search_key FROM people WHERE merged_into IS NULL),
         groups AS (
           SELECT 'same_email' AS reason, lower(e.email) AS detail, array_agg(DISTINCT e.person_id ORDER BY e.person_id) AS ids
             FROM person_emails e JOIN live ON live.id = e.person_id
            GROUP BY lower(e.email) HAVING count(DISTINCT e.person_id) > 1
           UNION ALL
           SELECT 'similar_name_same_organization', o.name, ARRAY[p1.id, p2.id]
             FROM affiliations a1
             JOIN affiliations a2 ON a2.organization_id = a1.organization_id AND a2.person_id > a1.person_id
             JOIN live p1 ON p1.id = a1.person_id
             JOIN live p2 ON p2.id = a2.person_id
             JOIN organizations o ON o.id = a1.organization_id
            WHERE (a1.end_date IS NULL OR a1.end_date >= current_date) AND (a2.end_date IS NULL OR a2.end_date >= current_date)
              AND similarity(p1.search_key, p2.search_key) >= 0.6
         )
         SELECT g.reason, g.detail, count(*) OVER () AS total,
                (SELECT json_agg(json_build_object('id', p.id, 'givenName', p.given_name, 'familyName', p.family_name,
                          'emails', ARRAY(SELECT email FROM person_emails WHERE person_id = p.id ORDER BY position)) ORDER BY p.id)
                   FROM people p WHERE p.id = ANY(g.ids)) AS people
           FROM groups g ORDER BY g.reason, g.detail, g.ids LIMIT $1 OFFSET $2`,
        [limit, offset],
      )
      return { items: rows.map(({ total: _t, ...g }) => g as DuplicateGroup), total: rows[0]?.total ?? 0 }
    },

    /** Locks the people in id order, so two merges touching the same records wait for each other instead of deadlocking. */
    async lock(ids: string[], client: Queryable): Promise<void> {
      await client.query(`SELECT id FROM people WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids])
    },

    /** Moves the duplicates' roles and interactions onto the survivor; emails are set by the caller. */
    async moveOwnership(survivorId: string, duplicateIds: string[], keepPrimary: boolean, client: Queryable): Promise<void> {
      await client.query(`DELETE FROM person_emails WHERE person_id = ANY($1::uuid[])`, [duplicateIds])
      await client.query(
        `UPDATE affiliations SET person_id = $1, is_primary = is_primary AND NOT $3, updated_at = now() WHERE person_id = ANY($2::uuid[])`,
        [survivorId, duplicateIds, keepPrimary],
      )
      await client.query(
        `INSERT INTO interaction_people (interaction_id, person_id)
         SELECT interaction_id, $1 FROM interaction_people WHERE person_id = ANY($2::uuid[]) ON CONFLICT DO NOTHING`,
        [survivorId, duplicateIds],
      )
      await client.query(`DELETE FROM interaction_people WHERE person_id = ANY($1::uuid[])`, [duplicateIds])
      await client.query(`UPDATE people SET merged_into = $1 WHERE merged_into = ANY($2::uuid[])`, [survivorId, duplicateIds])
      await client.query(
        `UPDATE people SET merged_into = $1, version = version + 1, updated_at = now() WHERE id = ANY($2::uuid[])`,
        [survivorId, duplicateIds],
      )
    },

    async recordMerge(survivorId: string, duplicateIds: string[], actor: string, client: Queryable): Promise<string> {
      const { rows } = await client.query(
        `INSERT INTO merges (survivor_id, merged_ids, merged_by) VALUES ($1, $2, $3) RETURNING id`, [survivorId, duplicateIds, actor],
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
    async erase(ids: string[], patterns: { linked: string | null; anywhere: string | null }, client: Queryable): Promise<void> {
      const pattern = `CASE WHEN i.id = ANY(l.ids) THEN $2 ELSE $3 END`
      const { rows } = await client.query(
        `WITH l AS (SELECT coalesce(array_agg(interaction_id), '{}') AS ids FROM interaction_people WHERE person_id = ANY($1::uuid[]))
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
        `CASE WHEN ${column} IS NULL THEN NULL ELSE coalesce(regexp_replace(${column}::text, CASE WHEN t.linked THEN $1 ELSE $2 END, '[erased]', 'gi'), ${column}::text)::jsonb END`
      await client.query(
        `UPDATE audit_log a SET before = ${scrub('a.before')}, after = ${scrub('a.after')}
           FROM unnest($3::text[], $4::boolean[]) AS t(id, linked)
          WHERE a.entity_type = 'interaction' AND a.entity_id = t.id`,
        [patterns.linked, patterns.anywhere, rows.map((r) => r.id), rows.map((r) => r.linked)],
      )
      await client.query(`DELETE FROM interaction_people WHERE person_id = ANY($1::uuid[])`, [ids])
      const gone = await client.query(`DELETE FROM people WHERE id = ANY($1::uuid[]) RETURNING search_key`, [ids])
      // The search index forgets them with the rows (a trigger); a word of their name no one else has leaves the vocabulary too.
      await client.query(
        `DELETE FROM search_vocabulary v WHERE v.word = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM search_words w WHERE w.word = v.word)`,
        [gone.rows.flatMap((r) => r.search_key.split(' '))],
      )
    },

    /** Files the erasure: the only row left that links the person's id to the reference their audit rows keep. */
    async recordErasure(ids: string[], actor: string, client: Queryable): Promise<Map<string, string>> {
      const { rows } = await client.query(
        `INSERT INTO erasures (person_id, erased_by) SELECT unnest($1::uuid[]), $2 RETURNING person_id, reference`, [ids, actor],
      )
      return new Map(rows.map((r) => [r.person_id, r.reference]))
    },

    /**
     * Keeps who changed what and when about the person, but not the values (each becomes "[erased]"),
     * and files the rows under the erasure's reference instead of their id.
     */
    async scrubAudit(ids: string[], client: Queryable): Promise<number> {
      const scrub = (column: string) =>
        `CASE WHEN ${column} IS NULL THEN NULL ELSE (SELECT coalesce(jsonb_object_agg(k, '[erased]'::text), '{}') FROM jsonb_object_keys(${column}) k) END`
      const { rowCount } = await client.query(
        `UPDATE audit_log a SET before = ${scrub('a.before')}, after = ${scrub('a.after')}, entity_id = 'erased:' || e.reference
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
        `UPDATE audit_log SET before = ${scrub('before')}::jsonb, after = ${scrub('after')}::jsonb, action = ${scrub('action')}
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
        `DELETE FROM outbox WHERE (published_at IS NOT NULL OR aggregate_id = ANY($2::text[])) AND envelope::text ~* $1`, [traces, ids],
      )
      await client.query(
        `UPDATE outbox SET envelope = jsonb_set(envelope, '{data,people}',
                (SELECT coalesce(jsonb_agg(p), '[]') FROM jsonb_array_elements(envelope #> '{data,people}') p WHERE p #>> '{}' <> ALL($1::text[])))
          WHERE published_at IS NULL AND envelope #> '{data,people}' ?| $1::text[]`,
        [ids],
      )
    },
  }
}

export type PersonRecordsRepository = ReturnType<typeof createPersonRecordsRepository>
