-- Matching keys are worked out after the commit, not inside every write. The triggers of migration 009
-- now only queue the people whose keys may have changed; a settler (the service's sweep, the duplicates
-- listing before it reads, a merge or an erasure for its own people) brings them up to date, one settler
-- at a time. So:
--   * a 100,000-row import writes its people without working out 200,000 keys in its transaction;
--   * two people written at the same moment by two transactions are compared once both have committed
--     (inside the writes, neither saw the other).

CREATE TABLE match_keys_pending (
  person_id uuid PRIMARY KEY,
  queued_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX match_keys_pending_queued ON match_keys_pending (queued_at);

-- A person queued again while waiting has the row locked by this transaction until it commits (ON CONFLICT
-- locks it, updated or not): a settler (FOR UPDATE SKIP LOCKED) then cannot take it and settle it on what was
-- committed before.
CREATE FUNCTION queue_match_keys(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO match_keys_pending (person_id)
  SELECT DISTINCT id FROM unnest(ids) AS id WHERE id IS NOT NULL ORDER BY id
  ON CONFLICT (person_id) DO UPDATE SET queued_at = excluded.queued_at
    -- Queued already by this transaction (a person, then their address and role): locked, left as it is.
    WHERE match_keys_pending.queued_at <> excluded.queued_at
$$;

-- The triggers of migration 009 still name the kinds they concern; they are no longer read: a settler works
-- out every kind of the people queued.
CREATE OR REPLACE FUNCTION match_keys_people_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM queue_match_keys(ARRAY(SELECT id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM queue_match_keys(ARRAY(SELECT id FROM old_rows));
  ELSE
    PERFORM queue_match_keys(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o USING (id)
       WHERE (n.given_name, n.family_name, n.phone_keys, n.merged_into) IS DISTINCT FROM (o.given_name, o.family_name, o.phone_keys, o.merged_into)));
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION match_keys_rows_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM queue_match_keys(ARRAY(SELECT person_id FROM new_rows));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM queue_match_keys(ARRAY(SELECT person_id FROM old_rows));
  END IF;
  RETURN NULL;
END $$;

-- Interactions' people are queued like any rows with a person_id: their own function is no longer needed.
DROP TRIGGER interaction_people_match_keys_insert ON interaction_people;
DROP TRIGGER interaction_people_match_keys_delete ON interaction_people;
DROP FUNCTION match_keys_interactions_sync();
CREATE TRIGGER interaction_people_match_keys_insert AFTER INSERT ON interaction_people REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_rows_sync();
CREATE TRIGGER interaction_people_match_keys_delete AFTER DELETE ON interaction_people REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION match_keys_rows_sync();

CREATE OR REPLACE FUNCTION match_keys_organizations_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM queue_match_keys(ARRAY(
    SELECT a.person_id FROM new_rows n JOIN old_rows o USING (id) JOIN affiliations a ON a.organization_id = n.id
     WHERE n.country IS DISTINCT FROM o.country));
  RETURN NULL;
END $$;

-- A judgement (or its undoing) reassesses the keys the two people share, when they are next settled.
CREATE OR REPLACE FUNCTION distinct_people_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM queue_match_keys(ARRAY(SELECT person_a FROM changed_rows UNION ALL SELECT person_b FROM changed_rows));
  RETURN NULL;
END $$;

-- Settles the keys of up to `batch` queued people, or of these people only (a merge or an erasure, in its
-- own transaction); returns how many. The lock makes settlers take turns, each seeing all that the ones
-- before it committed.
CREATE FUNCTION settle_match_keys(batch integer, only_ids uuid[] DEFAULT NULL) RETURNS integer
  LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  PERFORM pg_advisory_xact_lock(x'6d6b6579'::int);
  WITH taken AS (
    DELETE FROM match_keys_pending WHERE person_id IN (
      SELECT person_id FROM match_keys_pending
       WHERE only_ids IS NULL OR person_id = ANY(only_ids)
       ORDER BY queued_at LIMIT batch FOR UPDATE SKIP LOCKED)
    RETURNING person_id
  )
  SELECT array_agg(person_id ORDER BY person_id) INTO ids FROM taken;
  IF ids IS NULL THEN RETURN 0; END IF;
  PERFORM refresh_match_keys(ids,
    '{same_name,same_phone,same_email,similar_name_same_state,similar_name_same_organization,similar_name_same_interaction}');
  RETURN cardinality(ids);
END $$;
