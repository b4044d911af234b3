-- Duplicate detection by matching keys: each live person's keys (folded name, phone numbers,
-- addresses, and a name block per organisation, state and interaction they share with others) are
-- kept by triggers, with how many people hold each key; a name, phone or address only once two
-- people share it. The listing then reads only the keys held
-- by two people or more (a partial index), never comparing every person with every other.

-- E.164 numbers, worked out by the service (libphonenumber-js) when it writes the phones. Rows
-- written before this keep the digits as written (with "+" for an international number).
ALTER TABLE people ADD COLUMN phone_keys text[] NOT NULL DEFAULT '{}';
UPDATE people SET phone_keys = ARRAY(
  SELECT DISTINCT CASE WHEN p ~ '^\s*(\+|00)' THEN '+' || regexp_replace(regexp_replace(p, '^\s*(\+|00)', ''), '\D', '', 'g')
                       ELSE regexp_replace(p, '\D', '', 'g') END
    FROM unnest(phones) AS p)
 WHERE phones <> '{}';

CREATE TABLE match_keys (
  kind      text NOT NULL,
  key       text NOT NULL,
  person_id uuid NOT NULL,
  PRIMARY KEY (kind, key, person_id)
);
CREATE INDEX match_keys_person ON match_keys (person_id, kind);
-- Exact keys are stored only when shared: whether they are is looked up on the people themselves.
CREATE INDEX people_search_key ON people (search_key);
CREATE INDEX people_phone_keys ON people USING gin (phone_keys) WITH (fastupdate = off);

-- How many people hold each key, and whether any two of them are still to be looked at (names alike
-- by trigrams, where the key only blocks them together; and not judged distinct).
CREATE TABLE match_key_counts (
  kind    text NOT NULL,
  key     text NOT NULL,
  people  integer NOT NULL,
  flagged boolean NOT NULL DEFAULT false,
  PRIMARY KEY (kind, key)
);
CREATE INDEX match_key_counts_flagged ON match_key_counts (kind, key) WHERE flagged;
CREATE INDEX match_key_counts_unused ON match_key_counts (kind, key) WHERE people < 1;

-- Names alike enough to compare by trigrams, cheaply told apart first: family names that sound alike
-- (Double Metaphone: "Müller", "Mueller") and given names with the same initial.
CREATE FUNCTION f_name_block(given text, family text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(nullif(dmetaphone(f_search_key(family)), ''), f_search_key(family)) || ' ' || left(f_search_key(given), 1) $$;

-- A key of a similar_name kind is "<context> <name block>": its first word is the organisation
-- (one of no state), the state or the interaction shared. Only the kinds asked for are worked out.
CREATE FUNCTION match_keys_of(ids uuid[], kinds text[]) RETURNS TABLE (kind text, key text, person_id uuid)
  LANGUAGE sql STABLE AS $$
  -- Person by person through their indexes (OFFSET 0 keeps it so): otherwise, with a plan made while
  -- the tables were small, a chunk of an import reads every person, address or role written so far.
  WITH p AS (SELECT x.* FROM unnest(ids) AS i(id), LATERAL (
               SELECT id, given_name, family_name, search_key, phone_keys FROM people WHERE id = i.id AND merged_into IS NULL OFFSET 0) AS x)
  SELECT 'same_name', search_key, id FROM p WHERE search_key <> '' AND 'same_name' = ANY(kinds)
  UNION SELECT 'same_phone', k, id FROM p, unnest(phone_keys) AS k WHERE 'same_phone' = ANY(kinds)
  UNION SELECT 'same_email', lower(e.email), p.id FROM p, LATERAL (SELECT email FROM person_emails e WHERE e.person_id = p.id OFFSET 0) AS e WHERE 'same_email' = ANY(kinds)
  UNION SELECT CASE WHEN o.country IS NULL THEN 'similar_name_same_organization' ELSE 'similar_name_same_state' END,
               coalesce(o.country::text, o.id::text) || ' ' || f_name_block(p.given_name, p.family_name), p.id
          FROM p, LATERAL (SELECT organization_id FROM affiliations a WHERE a.person_id = p.id OFFSET 0) AS a JOIN organizations o ON o.id = a.organization_id
         WHERE kinds && '{similar_name_same_state,similar_name_same_organization}'
  UNION SELECT 'similar_name_same_interaction', ip.interaction_id || ' ' || f_name_block(p.given_name, p.family_name), p.id
          FROM p, LATERAL (SELECT interaction_id FROM interaction_people ip WHERE ip.person_id = p.id OFFSET 0) AS ip WHERE 'similar_name_same_interaction' = ANY(kinds)
$$;

-- Pairs staff looked at and judged to be two people: never flagged together again. Smaller id first.
CREATE TABLE distinct_people (
  person_a  uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  person_b  uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  judged_by text NOT NULL,
  judged_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_a, person_b),
  CHECK (person_a < person_b)
);
CREATE INDEX distinct_people_b ON distinct_people (person_b);

-- The most people of one key compared pair by pair: a switchboard number shared by a whole mission
-- still costs a bounded amount of work.
CREATE FUNCTION match_key_flagged(k text, v text) RETURNS boolean LANGUAGE sql STABLE AS $$
  WITH m AS (SELECT p.id, p.search_key FROM match_keys mk JOIN people p ON p.id = mk.person_id
              WHERE mk.kind = k AND mk.key = v ORDER BY mk.person_id LIMIT 50)
  SELECT EXISTS (
    SELECT 1 FROM m a JOIN m b ON b.id > a.id
     WHERE (k NOT LIKE 'similar%' OR similarity(a.search_key, b.search_key) >= 0.6)
       AND NOT EXISTS (SELECT 1 FROM distinct_people d WHERE d.person_a = a.id AND d.person_b = b.id))
$$;

-- Most keys belong to one person and stay unflagged: they are left as they are.
CREATE FUNCTION flag_match_keys(kinds text[], keys text[]) RETURNS void LANGUAGE sql AS $$
  UPDATE match_key_counts c SET flagged = c.people > 1 AND match_key_flagged(c.kind, c.key)
    FROM unnest(kinds, keys) AS t(kind, key) WHERE c.kind = t.kind AND c.key = t.key AND (c.people > 1 OR c.flagged);
  DELETE FROM match_key_counts WHERE people < 1;
$$;

-- Brings the keys of these people, of these kinds (and, if given, of these contexts only) up to date,
-- touching only what changed (counts adjusted in key order, so concurrent writers queue rather than
-- deadlock), then reassesses every key they hold or held. Without JIT: for a chunk of an import,
-- compiling these statements took longer than running them. Planned afresh on every call: a plan
-- cached while the tables were small read every person for each chunk of a large import.
CREATE FUNCTION refresh_match_keys(ids uuid[], kinds text[], contexts text[] DEFAULT NULL) RETURNS void
  LANGUAGE plpgsql SET jit = off SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  touched_kinds text[];
  touched_keys text[];
BEGIN
  IF cardinality(ids) = 0 THEN RETURN; END IF;
  WITH own AS (
    SELECT f.kind, f.key, f.person_id FROM match_keys_of(ids, kinds) f
     WHERE f.kind = ANY(kinds) AND (contexts IS NULL OR split_part(f.key, ' ', 1) IN (SELECT unnest(contexts)))
  ), fresh AS (
    -- A name block is kept for everyone: names in it are compared by trigrams, which no index finds.
    SELECT kind, key, person_id FROM own WHERE kind LIKE 'similar%'
    UNION
    -- An exact key (name, phone, address) only once someone else holds it too, and then for all its
    -- holders, found through the indexes on the people's own columns: most keys are one person's,
    -- and storing them cost an import more than writing the people.
    SELECT o.kind, o.key, h.id FROM own o, LATERAL (SELECT array_agg(x.id) AS ids FROM (
        SELECT id FROM people WHERE o.kind = 'same_name' AND search_key = o.key AND merged_into IS NULL
        UNION SELECT id FROM people WHERE o.kind = 'same_phone' AND phone_keys @> ARRAY[o.key] AND merged_into IS NULL
        UNION SELECT e.person_id FROM person_emails e, LATERAL (SELECT FROM people p WHERE p.id = e.person_id AND p.merged_into IS NULL OFFSET 0) AS live
               WHERE o.kind = 'same_email' AND lower(e.email) = o.key) AS x) AS holders, unnest(holders.ids) AS h(id)
     WHERE o.kind NOT LIKE 'similar%' AND cardinality(holders.ids) > 1
  ), gone AS (
    -- Read person by person (OFFSET 0 keeps it so): otherwise the planner may read every key of a kind.
    DELETE FROM match_keys m
     WHERE (m.kind, m.key, m.person_id) IN (
             SELECT o.kind, o.key, o.person_id FROM unnest(ids) AS i(id), LATERAL (SELECT * FROM match_keys x WHERE x.person_id = i.id OFFSET 0) AS o
              WHERE o.kind = ANY(kinds) AND (contexts IS NULL OR split_part(o.key, ' ', 1) IN (SELECT unnest(contexts))))
       AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.kind = m.kind AND f.key = m.key AND f.person_id = m.person_id)
    RETURNING m.kind, m.key
  ), added AS (
    INSERT INTO match_keys (kind, key, person_id) SELECT * FROM fresh ON CONFLICT DO NOTHING RETURNING kind, key
  ), counted AS (
    INSERT INTO match_key_counts AS c (kind, key, people)
    SELECT kind, key, sum(d) FROM (SELECT kind, key, -1 AS d FROM gone UNION ALL SELECT kind, key, 1 FROM added) AS x
     GROUP BY kind, key HAVING sum(d) <> 0 ORDER BY kind, key
    ON CONFLICT (kind, key) DO UPDATE SET people = c.people + excluded.people
    RETURNING 1
  )
  SELECT array_agg(kind), array_agg(key) INTO touched_kinds, touched_keys
    FROM (SELECT kind, key FROM fresh UNION SELECT kind, key FROM gone) AS t;
  PERFORM flag_match_keys(touched_kinds, touched_keys);
END $$;

CREATE FUNCTION match_keys_people_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_match_keys(ARRAY(SELECT id FROM new_rows), TG_ARGV::text[]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM refresh_match_keys(ARRAY(SELECT id FROM old_rows), TG_ARGV::text[]);
  ELSE
    PERFORM refresh_match_keys(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o USING (id)
       WHERE (n.given_name, n.family_name, n.phone_keys, n.merged_into) IS DISTINCT FROM (o.given_name, o.family_name, o.phone_keys, o.merged_into)), TG_ARGV::text[]);
  END IF;
  RETURN NULL;
END $$;

-- For tables with a person_id column: the people on the changed rows.
CREATE FUNCTION match_keys_rows_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM refresh_match_keys(ARRAY(SELECT DISTINCT person_id FROM new_rows), TG_ARGV::text[]);
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM refresh_match_keys(ARRAY(SELECT DISTINCT person_id FROM old_rows), TG_ARGV::text[]);
  END IF;
  RETURN NULL;
END $$;

-- A person's interactions can be many: only the keys of the interactions changed are refreshed.
CREATE FUNCTION match_keys_interactions_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_match_keys(ARRAY(SELECT DISTINCT person_id FROM new_rows), '{similar_name_same_interaction}',
                               ARRAY(SELECT DISTINCT interaction_id::text FROM new_rows));
  ELSE
    PERFORM refresh_match_keys(ARRAY(SELECT DISTINCT person_id FROM old_rows), '{similar_name_same_interaction}',
                               ARRAY(SELECT DISTINCT interaction_id::text FROM old_rows));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION match_keys_organizations_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_match_keys(ARRAY(
    SELECT DISTINCT a.person_id FROM new_rows n JOIN old_rows o USING (id) JOIN affiliations a ON a.organization_id = n.id
     WHERE n.country IS DISTINCT FROM o.country), '{similar_name_same_state,similar_name_same_organization}');
  RETURN NULL;
END $$;

-- A new person has no addresses, roles or interactions yet: theirs come with their own rows.
CREATE TRIGGER people_match_keys_insert AFTER INSERT ON people REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_people_sync('same_name', 'same_phone');
CREATE TRIGGER people_match_keys_update AFTER UPDATE ON people REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_people_sync('same_name', 'same_phone', 'same_email', 'similar_name_same_state', 'similar_name_same_organization', 'similar_name_same_interaction');
CREATE TRIGGER people_match_keys_delete AFTER DELETE ON people REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_people_sync('same_name', 'same_phone', 'same_email', 'similar_name_same_state', 'similar_name_same_organization', 'similar_name_same_interaction');

CREATE TRIGGER person_emails_match_keys_insert AFTER INSERT ON person_emails REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_rows_sync('same_email');
CREATE TRIGGER person_emails_match_keys_delete AFTER DELETE ON person_emails REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_rows_sync('same_email');

CREATE TRIGGER affiliations_match_keys_insert AFTER INSERT ON affiliations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_rows_sync('similar_name_same_state', 'similar_name_same_organization');
CREATE TRIGGER affiliations_match_keys_update AFTER UPDATE ON affiliations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_rows_sync('similar_name_same_state', 'similar_name_same_organization');
CREATE TRIGGER affiliations_match_keys_delete AFTER DELETE ON affiliations REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_rows_sync('similar_name_same_state', 'similar_name_same_organization');

CREATE TRIGGER interaction_people_match_keys_insert AFTER INSERT ON interaction_people REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_interactions_sync();
CREATE TRIGGER interaction_people_match_keys_delete AFTER DELETE ON interaction_people REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_interactions_sync();

CREATE TRIGGER organizations_match_keys_update AFTER UPDATE ON organizations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_organizations_sync();

SELECT refresh_match_keys(ARRAY(SELECT id FROM people),
  '{same_name,same_phone,same_email,similar_name_same_state,similar_name_same_organization,similar_name_same_interaction}');

-- A judgement (or its undoing) reassesses the keys the two people share.
CREATE FUNCTION distinct_people_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  shared_kinds text[];
  shared_keys text[];
BEGIN
  SELECT array_agg(a.kind), array_agg(a.key) INTO shared_kinds, shared_keys
    FROM changed_rows r
    JOIN match_keys a ON a.person_id = r.person_a
    JOIN match_keys b ON b.person_id = r.person_b AND b.kind = a.kind AND b.key = a.key;
  PERFORM flag_match_keys(shared_kinds, shared_keys);
  RETURN NULL;
END $$;

CREATE TRIGGER distinct_people_insert AFTER INSERT ON distinct_people REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION distinct_people_sync();
CREATE TRIGGER distinct_people_delete AFTER DELETE ON distinct_people REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION distinct_people_sync();
