CREATE TABLE interactions (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind                    text NOT NULL CHECK (kind IN ('meeting', 'call', 'email', 'letter', 'demarche', 'event', 'other')),
  occurred_at             timestamptz NOT NULL,
  summary                 text NOT NULL,
  notes                   text,
  campaign_id             uuid,
  confidentiality         text NOT NULL DEFAULT 'normal' CHECK (confidentiality IN ('normal', 'restricted')),
  author                  text NOT NULL,
  -- People taken off by an erasure: the interaction keeps that someone was there, not who.
  erased_participants     integer NOT NULL DEFAULT 0,
  version                 integer NOT NULL DEFAULT 1,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  updated_by              text NOT NULL
);
CREATE INDEX interactions_occurred ON interactions (occurred_at DESC, id);
CREATE INDEX interactions_campaign ON interactions (campaign_id) WHERE campaign_id IS NOT NULL;

CREATE TABLE interaction_states (
  interaction_id uuid NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
  iso3           char(3) NOT NULL REFERENCES states (iso3),
  PRIMARY KEY (interaction_id, iso3)
);
CREATE INDEX interaction_states_state ON interaction_states (iso3);

CREATE TABLE interaction_organizations (
  interaction_id  uuid NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  PRIMARY KEY (interaction_id, organization_id)
);
CREATE INDEX interaction_organizations_organization ON interaction_organizations (organization_id);

CREATE TABLE interaction_people (
  interaction_id uuid NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
  person_id      uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  PRIMARY KEY (interaction_id, person_id)
);
CREATE INDEX interaction_people_person ON interaction_people (person_id);

-- At most one follow-up per interaction: what was promised, by whom, by when.
CREATE TABLE follow_ups (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  interaction_id uuid NOT NULL UNIQUE REFERENCES interactions (id) ON DELETE CASCADE,
  due_on         date NOT NULL,
  assignee       text NOT NULL,
  done           boolean NOT NULL DEFAULT false,
  completed_at   timestamptz,
  completed_by   text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_ups_open ON follow_ups (due_on) WHERE NOT done;
CREATE INDEX follow_ups_assignee ON follow_ups (assignee, due_on);
