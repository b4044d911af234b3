-- What a post said when it was last submitted for approval (text, variants, thread, media, channels, who and
-- when), so that its approver sees what changed since, whoever changed it.
ALTER TABLE posts ADD COLUMN submitted jsonb;

-- Posts awaiting approval before this column existed: their words as the audit log kept them at submission.
UPDATE posts p SET submitted = jsonb_build_object(
         'text', a.after->'text', 'variants', a.after->'variants', 'thread', a.after->'thread',
         'media', a.after->'media', 'channels', a.after->'channels',
         'submittedBy', a.actor, 'submittedAt', to_jsonb(a.occurred_at))
  FROM (SELECT DISTINCT ON (entity_id) entity_id, actor, occurred_at, after
          FROM audit_log
         WHERE entity_type = 'post' AND action = 'post.submitted'
         ORDER BY entity_id, id DESC) a
 WHERE p.status = 'submitted' AND p.id::text = a.entity_id;
