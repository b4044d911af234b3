CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The states registry: every state's standing under the Convention, as the depositary records it.
CREATE TABLE states (
  iso3                    char(3) PRIMARY KEY CHECK (iso3 ~ '^[A-Z]{3}$'),
  name                    text NOT NULL,
  un_status               text NOT NULL CHECK (un_status IN ('member', 'observer', 'non-member')),
  regional_group          text CHECK (regional_group IN ('African', 'Asia-Pacific', 'Eastern European', 'GRULAC', 'WEOG')),
  status                  text NOT NULL CHECK (status IN ('state_party', 'signatory', 'withdrawn', 'not_signed')),
  signed_on               date,
  deposited_on            date,
  how                     text,
  entry_into_force_on     date,
  withdrawal_notice_on    date,
  withdrawal_effective_on date,
  version                 integer NOT NULL DEFAULT 1,
  updated_at              timestamptz NOT NULL DEFAULT now(),
  updated_by              text NOT NULL
);
CREATE INDEX states_status ON states (status);
CREATE INDEX states_regional_group ON states (regional_group);

-- Each step the depositary recorded (signature, ratification, accession, withdrawal…), oldest first.
CREATE TABLE treaty_steps (
  id             bigserial PRIMARY KEY,
  iso3           char(3) NOT NULL REFERENCES states (iso3),
  kind           text NOT NULL CHECK (kind IN ('signature', 'ratification', 'acceptance', 'approval', 'accession', 'withdrawal')),
  date           date NOT NULL,
  source         text,
  from_status    text NOT NULL,
  to_status      text NOT NULL,
  recorded_by    text NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX treaty_steps_state ON treaty_steps (iso3, date, id);
