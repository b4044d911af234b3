-- Search answered from one index, without visiting the table (migration 005 kept the words).
-- Each word row carries every word of its entity's name, and the index is ordered the way results
-- are ranked within a word (fewer words in the name first). So:
--   * one query word: the best entries of each matching word are read in index order and the scan
--     stops at a page's worth, however many people share a common surname;
--   * several query words: the rows of one word are read and kept only if the name also holds a
--     match for every other word, an array test on the index entry itself.
ALTER TABLE search_words ADD COLUMN name_words text[];
UPDATE search_words w SET name_words = e.name_words
  FROM (SELECT entity_type, entity_id, array_agg(word ORDER BY word) AS name_words FROM search_words GROUP BY 1, 2) e
 WHERE e.entity_type = w.entity_type AND e.entity_id = w.entity_id;
ALTER TABLE search_words ALTER COLUMN name_words SET NOT NULL;

-- (word, entity) is unique since an entity's word count is fixed; the key is in ranking order.
ALTER TABLE search_words DROP CONSTRAINT search_words_pkey;
ALTER TABLE search_words ADD PRIMARY KEY (word, words, entity_type, entity_id) INCLUDE (name_words);

CREATE OR REPLACE FUNCTION search_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE format('DELETE FROM search_words w USING old_rows o WHERE w.entity_type = %L AND w.entity_id = o.%I::text', TG_ARGV[0], TG_ARGV[1]);
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
