-- An entity's word rows are found by their key, not by a second index. The old row's search_key gives
-- each of its words and how many there are, which is all of a word row's key but the entity: the delete
-- is one primary-key lookup per word. The (entity_type, entity_id) index it used was written for every
-- word of every new name, a fifth of what a 100,000-row import spent on its people.
CREATE OR REPLACE FUNCTION search_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE format(
      'DELETE FROM search_words w
        USING (SELECT o.%I::text AS id, string_to_array(o.search_key, '' '') AS parts FROM old_rows o) o,
              unnest(o.parts) AS part(word)
        WHERE w.word = part.word AND w.words = cardinality(o.parts) AND w.entity_type = %L AND w.entity_id = o.id',
      TG_ARGV[1], TG_ARGV[0]);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    -- In key order: a large import fills the index page after page rather than all over it.
    EXECUTE format(
      'INSERT INTO search_words (word, entity_type, entity_id, words, name_words)
       SELECT word, %L, e.id, e.words, e.name_words
         FROM (SELECT n.%I::text AS id, cardinality(parts) AS words,
                      ARRAY(SELECT DISTINCT x FROM unnest(parts) AS x WHERE x <> '''' ORDER BY x) AS name_words
                 FROM new_rows n, string_to_array(n.search_key, '' '') AS parts WHERE (%s)) e, unnest(e.name_words) AS word
        ORDER BY 1, 4
       ON CONFLICT DO NOTHING', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]);
    EXECUTE format(
      'INSERT INTO search_vocabulary (word)
       SELECT DISTINCT word FROM new_rows n, regexp_split_to_table(n.search_key, '' '') AS word
        WHERE word <> '''' AND (%s) ON CONFLICT DO NOTHING', TG_ARGV[2]);
  END IF;
  RETURN NULL;
END $$;

DROP INDEX search_words_entity;
