-- One row per CSV import, dry or real: polled for progress while it runs, holding its report after.
CREATE TABLE imports (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind           text NOT NULL CHECK (kind IN ('people')),
  dry_run        boolean NOT NULL,
  status         text NOT NULL CHECK (status IN ('running', 'succeeded', 'rejected', 'failed')),
  total_rows     integer NOT NULL,
  processed_rows integer NOT NULL DEFAULT 0,
  created        integer NOT NULL DEFAULT 0,
  updated        integer NOT NULL DEFAULT 0,
  rejected       integer NOT NULL DEFAULT 0,
  report         jsonb,
  started_by     text NOT NULL,
  started_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz
);
