-- Four eyes: who changed a post's words (text, variants, thread, media, channels) since it was last
-- approved. Neither they nor the author may approve it; approval clears the list.
ALTER TABLE posts ADD COLUMN edited_by text[] NOT NULL DEFAULT '{}';

-- Posts edited before this column existed: their editors since the last approval, from the audit log.
UPDATE posts p SET edited_by = e.actors
  FROM (SELECT a.entity_id, array_agg(DISTINCT a.actor ORDER BY a.actor) AS actors
          FROM audit_log a
         WHERE a.entity_type = 'post' AND a.action = 'post.updated'
           AND a.changed_fields && ARRAY['text', 'variants', 'thread', 'media', 'channels']
           AND a.id > coalesce((SELECT max(b.id) FROM audit_log b
                                 WHERE b.entity_type = 'post' AND b.entity_id = a.entity_id AND b.action = 'post.approved'), 0)
         GROUP BY a.entity_id) e
 WHERE p.id::text = e.entity_id;
