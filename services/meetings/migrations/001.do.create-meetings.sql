-- The states as contacts publishes them (contacts.state.registered, contacts.treaty_status.changed), as campaigns
-- keeps them: this service never asks contacts. A delegation's capacity is read from them on the meeting's first day.
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

-- Every period a state has been a State Party, from its deposit to the day a withdrawal took effect: the latest
-- snapshot alone forgets an earlier membership, and a past meeting may fall within it.
CREATE TABLE memberships (
  iso3                    char(3) NOT NULL,
  deposited_on            date NOT NULL,
  withdrawal_effective_on date,
  PRIMARY KEY (iso3, deposited_on)
);

CREATE TABLE meetings (
  id                    uuid PRIMARY KEY,
  -- The seed's key (13MSP, 2RC), so seeding again adds nothing; null for meetings entered by staff.
  code                  text UNIQUE,
  kind                  text NOT NULL CHECK (kind IN ('msp', 'review_conference', 'intersessional',
                          'coordination_committee', 'working_group', 'workshop', 'other')),
  number                integer CHECK (number > 0),
  title                 text NOT NULL,
  city                  text,
  country               char(3),
  starts_on             date,
  ends_on               date,
  presiding_iso3        char(3),
  status                text NOT NULL CHECK (status IN ('planned', 'registration_open', 'held', 'cancelled')),
  registration_deadline date,
  version               integer NOT NULL DEFAULT 1,
  created_at            timestamptz NOT NULL DEFAULT now(),
  created_by            text NOT NULL,
  updated_at            timestamptz NOT NULL DEFAULT now(),
  updated_by            text NOT NULL,
  CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX meetings_starts_on ON meetings (starts_on DESC NULLS FIRST);

CREATE TABLE documents (
  id         uuid PRIMARY KEY,
  meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  symbol     text NOT NULL,
  title      text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('agenda', 'programme_of_work', 'report', 'working_paper', 'statement',
               'list_of_participants', 'other')),
  -- [{ "language": "en", "url": "https://…" }]
  languages  jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  UNIQUE (meeting_id, symbol)
);

CREATE TABLE delegations (
  id                      uuid PRIMARY KEY,
  meeting_id              uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  iso3                    char(3),
  organization_id         uuid,
  -- The state's name from the read model, or the organisation's as given at registration.
  name                    text NOT NULL,
  capacity                text NOT NULL CHECK (capacity IN ('state_party', 'signatory', 'observer_state',
                            'international_organization', 'ngo', 'other')),
  regional_group          text,
  credentials_received_on date,
  version                 integer NOT NULL DEFAULT 1,
  created_at              timestamptz NOT NULL DEFAULT now(),
  created_by              text NOT NULL,
  updated_at              timestamptz NOT NULL DEFAULT now(),
  updated_by              text NOT NULL,
  CHECK ((iso3 IS NULL) <> (organization_id IS NULL)),
  UNIQUE (meeting_id, iso3),
  UNIQUE (meeting_id, organization_id)
);
CREATE INDEX delegations_iso3 ON delegations (iso3) WHERE iso3 IS NOT NULL;

-- A delegation's members: contacts' person ids, with the name given at registration (contacts' events carry no names).
CREATE TABLE participants (
  id            uuid PRIMARY KEY,
  delegation_id uuid NOT NULL REFERENCES delegations (id) ON DELETE CASCADE,
  meeting_id    uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  person_id     uuid NOT NULL,
  name          text NOT NULL,
  function      text NOT NULL CHECK (function IN ('head_of_delegation', 'deputy_head_of_delegation', 'delegate',
                  'adviser')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL,
  UNIQUE (meeting_id, person_id)
);
CREATE INDEX participants_delegation ON participants (delegation_id);
CREATE INDEX participants_person ON participants (person_id);

CREATE TABLE attendance (
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  day            date NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  recorded_by    text NOT NULL,
  PRIMARY KEY (participant_id, day)
);

-- The Sponsorship Programme. Money is in the budget's currency, in minor units (centimes), never a float.
CREATE TABLE sponsorship_budgets (
  meeting_id   uuid PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  currency     char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  donors       text[] NOT NULL DEFAULT '{}',
  version      integer NOT NULL DEFAULT 1,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  updated_by   text NOT NULL
);

CREATE TABLE sponsorship_applications (
  id                         uuid PRIMARY KEY,
  meeting_id                 uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  -- Cleared, with the name and the motivation, when contacts erases the person; the money stays counted.
  person_id                  uuid,
  person_name                text,
  iso3                       char(3) NOT NULL,
  function                   text NOT NULL,
  motivation                 text,
  status                     text NOT NULL DEFAULT 'pending'
                               CHECK (status IN ('pending', 'approved', 'waitlisted', 'declined')),
  decision_reason            text,
  decided_by                 text,
  decided_at                 timestamptz,
  travel_booked              boolean NOT NULL DEFAULT false,
  travel_cost_minor          bigint NOT NULL DEFAULT 0 CHECK (travel_cost_minor >= 0),
  accommodation_cost_minor   bigint NOT NULL DEFAULT 0 CHECK (accommodation_cost_minor >= 0),
  dsa_days                   integer NOT NULL DEFAULT 0 CHECK (dsa_days >= 0),
  dsa_rate_minor             bigint NOT NULL DEFAULT 0 CHECK (dsa_rate_minor >= 0),
  visa_letter_issued         boolean NOT NULL DEFAULT false,
  attendance_confirmed       boolean NOT NULL DEFAULT false,
  report_received_on         date,
  -- An admin's decision to let this application's costs take the totals past the budget, and why.
  budget_override_reason     text,
  budget_override_by         text,
  version                    integer NOT NULL DEFAULT 1,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  created_by                 text NOT NULL,
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  updated_by                 text NOT NULL
);
CREATE INDEX sponsorship_applications_meeting ON sponsorship_applications (meeting_id, status);
CREATE INDEX sponsorship_applications_person ON sponsorship_applications (person_id) WHERE person_id IS NOT NULL;
