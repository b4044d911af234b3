-- The column says what it holds: the writer id of the relay a row is handed to after its commit (see
-- CommitHandoff in src/relay/handoff.ts), or '' for none.
ALTER TABLE outbox RENAME COLUMN origin TO writer_id;
