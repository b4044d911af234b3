-- Search by words: every word of a searchable name, per entity, kept by triggers. A query word is
-- first matched against the (small) vocabulary, by prefix or trigram similarity, and only then
-- against the entities: a common surname shared by thousands of people costs index lookups, not
-- a similarity computed for every one of them.
-- Levenshtein distance tells a typo ("kenia", one edit from "kenya") from another word ("grace", two from "greece").
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE TABLE search_vocabulary (
  word text PRIMARY KEY
);
CREATE INDEX search_vocabulary_trgm ON search_vocabulary USING gin (word gin_trgm_ops);

CREATE TABLE search_words (
  word        text NOT NULL,
  entity_type text NOT NULL CHECK (entity_type IN ('person', 'organization', 'state')),
  entity_id   text NOT NULL,
  -- How many words the entity's name has: a query covering all of them ranks higher.
  words       smallint NOT NULL,
  PRIMARY KEY (word, entity_type, entity_id)
);
CREATE INDEX search_words_entity ON search_words (entity_type, entity_id);

ALTER TABLE states ADD COLUMN search_key text GENERATED ALWAYS AS (f_search_key(name)) STORED;

-- Statement-level, so a 100,000-row import indexes its words in one pass. Arguments: the entity
-- type, its id column, and when a row is searchable (merged people and archived organisations are not).
CREATE FUNCTION search_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE format('DELETE FROM search_words w USING old_rows o WHERE w.entity_type = %L AND w.entity_id = o.%I::text', TG_ARGV[0], TG_ARGV[1]);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE format(
      'INSERT INTO search_words (word, entity_type, entity_id, words)
       SELECT DISTINCT word, %L, n.%I::text, cardinality(string_to_array(n.search_key, '' '')) FROM new_rows n, regexp_split_to_table(n.search_key, '' '') AS word
        WHERE word <> '''' AND (%s) ON CONFLICT DO NOTHING', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]);
    EXECUTE format(
      'INSERT INTO search_vocabulary (word)
       SELECT DISTINCT word FROM new_rows n, regexp_split_to_table(n.search_key, '' '') AS word
        WHERE word <> '''' AND (%s) ON CONFLICT DO NOTHING', TG_ARGV[2]);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER people_words_insert AFTER INSERT ON people REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync('person', 'id', 'n.merged_into IS NULL');
CREATE TRIGGER people_words_update AFTER UPDATE ON people REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync('person', 'id', 'n.merged_into IS NULL');
CREATE TRIGGER people_words_delete AFTER DELETE ON people REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync('person', 'id', 'true');

CREATE TRIGGER organizations_words_insert AFTER INSERT ON organizations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync('organization', 'id', 'n.archived_at IS NULL');
CREATE TRIGGER organizations_words_update AFTER UPDATE ON organizations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync('organization', 'id', 'n.archived_at IS NULL');

CREATE TRIGGER states_words_insert AFTER INSERT ON states REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync('state', 'iso3', 'true');
CREATE TRIGGER states_words_update AFTER UPDATE ON states REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_words_sync('state', 'iso3', 'true');

-- Prefix matching as someone types ("mül" → "muller"); LIKE 'x%' needs pattern ops under a non-C collation.
CREATE INDEX search_vocabulary_prefix ON search_vocabulary (word text_pattern_ops);

-- Rows written before the triggers existed (the states, in a fresh database none else).
INSERT INTO search_words (word, entity_type, entity_id, words)
SELECT DISTINCT word, 'state', iso3::text, cardinality(string_to_array(search_key, ' '))
  FROM states, regexp_split_to_table(search_key, ' ') AS word WHERE word <> '' ON CONFLICT DO NOTHING;
INSERT INTO search_vocabulary (word)
SELECT DISTINCT word FROM search_words ON CONFLICT DO NOTHING;
