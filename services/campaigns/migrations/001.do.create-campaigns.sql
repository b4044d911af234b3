-- The states as contacts publishes them (contacts.state.registered, contacts.treaty_status.changed):
-- this service never asks contacts, it keeps its own copy.
CREATE TABLE states (
  iso3                    char(3) PRIMARY KEY CHECK (iso3 ~ '^[A-Z]{3}$'),
  name                    text NOT NULL,
  status                  text NOT NULL,
  un_status               text NOT NULL,
  regional_group          text,
  signed_on               date,
  deposited_on            date,
  how                     text,
  entry_into_force_on     date,
  withdrawal_notice_on    date,
  withdrawal_effective_on date,
  -- The event the record comes from, and its time: an older event replayed never overwrites a newer one.
  source_event_id         uuid NOT NULL,
  source_event_at         timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX states_status ON states (status);

CREATE TABLE campaigns (
  id               uuid PRIMARY KEY,
  name             text NOT NULL,
  objective        text NOT NULL,
  description      text,
  owner            text NOT NULL,
  starts_on        date,
  ends_on          date,
  status           text NOT NULL CHECK (status IN ('planned', 'active', 'completed', 'cancelled')),
  goal_metric      text,
  goal_target      integer CHECK (goal_target > 0),
  tags             text[] NOT NULL DEFAULT '{}',
  stale_after_days integer NOT NULL DEFAULT 90 CHECK (stale_after_days > 0),
  goal_reached_at  timestamptz,
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  created_by       text NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  updated_by       text NOT NULL,
  CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),
  CHECK ((goal_metric IS NULL) = (goal_target IS NULL))
);
CREATE INDEX campaigns_status ON campaigns (status);

CREATE TABLE targets (
  campaign_id         uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  iso3                char(3) NOT NULL REFERENCES states (iso3),
  stage               text NOT NULL,
  -- The stage it was added in: a goal counts the targets the campaign moved, not those it started with.
  initial_stage       text NOT NULL,
  stage_since         timestamptz NOT NULL DEFAULT now(),
  last_contact_at     timestamptz,
  last_contact_kind   text,
  last_interaction_id uuid,
  -- Contacts' person ids met at the last contact; cleared by contacts.person.erased.
  last_contact_people uuid[] NOT NULL DEFAULT '{}',
  added_at            timestamptz NOT NULL DEFAULT now(),
  added_by            text NOT NULL,
  version             integer NOT NULL DEFAULT 1,
  PRIMARY KEY (campaign_id, iso3)
);
CREATE INDEX targets_iso3 ON targets (iso3);

-- Every move of a target, the first one (from_stage NULL) when it was added.
CREATE TABLE target_transitions (
  id                      bigserial PRIMARY KEY,
  campaign_id             uuid NOT NULL,
  iso3                    char(3) NOT NULL,
  from_stage              text,
  to_stage                text NOT NULL,
  at                      timestamptz NOT NULL DEFAULT now(),
  by                      text,
  caused_by_event_id      uuid,
  reason                  text,
  evidence_interaction_id uuid,
  FOREIGN KEY (campaign_id, iso3) REFERENCES targets (campaign_id, iso3) ON DELETE CASCADE
);
CREATE INDEX target_transitions_target ON target_transitions (campaign_id, iso3, at, id);
-- One event moves a target into a stage at most once, whatever the consumer's bookkeeping says.
CREATE UNIQUE INDEX target_transitions_once_per_event
  ON target_transitions (campaign_id, iso3, caused_by_event_id, to_stage) WHERE caused_by_event_id IS NOT NULL;

CREATE TABLE milestones (
  id                   uuid PRIMARY KEY,
  kind                 text NOT NULL CHECK (kind IN ('state_joined', 'goal_reached')),
  campaign_id          uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  iso3                 char(3),
  deposited_on         date,
  states_parties_count integer NOT NULL,
  caused_by_event_id   uuid NOT NULL,
  reached_at           timestamptz NOT NULL DEFAULT now()
);
-- Once per campaign, state and instrument (a state that withdraws and accedes again joins again).
CREATE UNIQUE INDEX milestones_state_joined_once ON milestones (campaign_id, iso3, deposited_on) WHERE kind = 'state_joined';
CREATE UNIQUE INDEX milestones_goal_reached_once ON milestones (campaign_id) WHERE kind = 'goal_reached';

CREATE TABLE tasks (
  id           uuid PRIMARY KEY,
  campaign_id  uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  iso3         char(3),
  title        text NOT NULL,
  assignee     text NOT NULL,
  due_on       date,
  status       text NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
  -- A contacts person the task is about; cleared by contacts.person.erased.
  person_id    uuid,
  completed_at timestamptz,
  completed_by text,
  version      integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  updated_by   text NOT NULL,
  FOREIGN KEY (campaign_id, iso3) REFERENCES targets (campaign_id, iso3) ON DELETE CASCADE
);
CREATE INDEX tasks_campaign ON tasks (campaign_id, status, due_on);
CREATE INDEX tasks_assignee ON tasks (assignee, status, due_on);
CREATE INDEX tasks_person ON tasks (person_id) WHERE person_id IS NOT NULL;

-- Article 7 transparency reports received from States Parties.
CREATE TABLE reports (
  id          uuid PRIMARY KEY,
  iso3        char(3) NOT NULL REFERENCES states (iso3),
  kind        text NOT NULL CHECK (kind IN ('initial', 'annual')),
  -- The calendar year an annual update covers.
  year        integer,
  received_on date NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'initial') = (year IS NULL))
);
CREATE UNIQUE INDEX reports_once ON reports (iso3, kind, coalesce(year, 0));
