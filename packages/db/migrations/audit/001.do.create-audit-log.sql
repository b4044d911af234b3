-- Who changed what, when: one row per write, in the same transaction as the write.
CREATE TABLE audit_log (
  id             bigserial PRIMARY KEY,
  occurred_at    timestamptz NOT NULL DEFAULT now(),
  actor          text NOT NULL,
  entity_type    text NOT NULL,
  entity_id      text NOT NULL,
  action         text NOT NULL,
  changed_fields text[] NOT NULL DEFAULT '{}',
  before         jsonb,
  after          jsonb,
  correlation_id text
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, occurred_at);
