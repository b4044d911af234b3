-- Transactional outbox: events are written here in the same transaction as the change that caused
-- them, then published by the relay (layout after Debezium's outbox event router).
CREATE TABLE outbox (
  id             bigserial PRIMARY KEY,
  event_id       uuid NOT NULL UNIQUE,
  aggregate_type text NOT NULL,
  aggregate_id   text NOT NULL,
  type           text NOT NULL,
  topic          text NOT NULL,
  envelope       jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  published_at   timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Idempotent consumers: one row per event a consumer group has applied, written in the handler's transaction.
CREATE TABLE processed_events (
  consumer_group text NOT NULL,
  event_id       uuid NOT NULL,
  event_type     text NOT NULL,
  processed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, event_id)
);
