-- What is kept of an erased person (the audit rows saying who changed what, and when) is filed under
-- this reference instead of the person's id, so only the erasure record links the two.
ALTER TABLE erasures ADD COLUMN reference uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE;

-- An import waits its turn (queued) while the instance's imports running at once are at their limit.
ALTER TABLE imports DROP CONSTRAINT imports_status_check,
  ADD CONSTRAINT imports_status_check CHECK (status IN ('queued', 'running', 'succeeded', 'rejected', 'failed'));
