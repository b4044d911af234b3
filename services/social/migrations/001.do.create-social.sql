-- Accounts the ISU posts to. Credentials are AES-256-GCM ciphertext, never stored or returned in clear.
CREATE TABLE channels (
  id            uuid PRIMARY KEY,
  platform      text NOT NULL CHECK (platform IN ('x', 'facebook')),
  name          text NOT NULL,
  is_default    boolean NOT NULL DEFAULT false,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reauth')),
  status_reason text,
  credentials   bytea NOT NULL,
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  updated_by    text NOT NULL
);

-- Images attached to posts; a few megabytes each at most, so Postgres holds the bytes.
CREATE TABLE media (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL,
  bytes         bytea NOT NULL,
  alt_text      text,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE posts (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  status             text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'scheduled', 'publishing', 'published',
                                                     'failed', 'unconfirmed', 'cancelled', 'missed')),
  text               text NOT NULL,
  variants           jsonb NOT NULL DEFAULT '{}',
  translations       jsonb NOT NULL DEFAULT '{}',
  thread             text[] NOT NULL DEFAULT '{}',
  language           text NOT NULL DEFAULT 'en',
  media_ids          uuid[] NOT NULL DEFAULT '{}',
  channel_ids        uuid[] NOT NULL DEFAULT '{}',
  scheduled_at       timestamptz,
  time_zone          text NOT NULL DEFAULT 'Europe/Zurich',
  author             text NOT NULL,
  approved_by        text,
  approved_at        timestamptz,
  review_note        text,
  -- A milestone announced once, however often its event is delivered.
  caused_by_event_id uuid UNIQUE,
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  updated_by         text NOT NULL
);
CREATE INDEX posts_scheduled_at ON posts (scheduled_at);
CREATE INDEX posts_status ON posts (status);

-- One per channel of an approved post: the unit the scheduler claims, publishes and settles.
CREATE TABLE deliveries (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  post_id            uuid NOT NULL REFERENCES posts (id),
  channel_id         uuid NOT NULL REFERENCES channels (id),
  status             text NOT NULL CHECK (status IN ('scheduled', 'publishing', 'published', 'failed', 'unconfirmed', 'cancelled', 'missed')),
  -- When it may next be attempted: the post's time, or a platform's rate-limit reset.
  due_at             timestamptz NOT NULL,
  -- Each id the platform returned, in order (one per post of an X thread): a retry resumes after the last.
  remote_ids         text[] NOT NULL DEFAULT '{}',
  url                text,
  error              text,
  attempts           integer NOT NULL DEFAULT 0,
  attempt_started_at timestamptz,
  -- The scheduler instance (its advisory-lock key) that claimed it: a claim by a dead instance is settled as unconfirmed.
  claimed_by         integer,
  published_at       timestamptz,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (post_id, channel_id)
);
CREATE INDEX deliveries_due ON deliveries (due_at) WHERE status = 'scheduled';
CREATE INDEX deliveries_publishing ON deliveries (claimed_by) WHERE status = 'publishing';
