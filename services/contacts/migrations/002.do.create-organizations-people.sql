-- unaccent() is only STABLE (its dictionary could change), so it cannot back an index; pinning the
-- dictionary makes it safe to declare IMMUTABLE (https://stackoverflow.com/a/11007216).
CREATE FUNCTION f_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- What search compares: lower case, no accents, punctuation as spaces ("Côte d'Ivoire" → "cote d ivoire").
CREATE FUNCTION f_search_key(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT trim(regexp_replace(lower(f_unaccent(coalesce($1, ''))), '[[:punct:][:space:]]+', ' ', 'g')) $$;

CREATE TABLE organizations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type        text NOT NULL CHECK (type IN ('permanent_mission', 'ministry', 'international_organization', 'ngo', 'other')),
  name        text NOT NULL,
  short_name  text,
  country     char(3) REFERENCES states (iso3),
  website     text,
  tags        text[] NOT NULL DEFAULT '{}',
  archived_at timestamptz,
  search_key  text GENERATED ALWAYS AS (f_search_key(name || ' ' || coalesce(short_name, ''))) STORED,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL
);
CREATE INDEX organizations_search ON organizations USING gin (search_key gin_trgm_ops);
CREATE INDEX organizations_country ON organizations (country);
CREATE INDEX organizations_tags ON organizations USING gin (tags);
CREATE INDEX organizations_name ON organizations (name, id);

CREATE TABLE people (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  honorific          text,
  given_name         text NOT NULL,
  family_name        text NOT NULL,
  job_title          text,
  phones             text[] NOT NULL DEFAULT '{}',
  preferred_language text CHECK (preferred_language IN ('en', 'fr', 'es', 'ar', 'ru', 'zh')),
  languages          text[] NOT NULL DEFAULT '{}',
  tags               text[] NOT NULL DEFAULT '{}',
  notes              text,
  consent            jsonb,
  do_not_contact     boolean NOT NULL DEFAULT false,
  -- Set when this record was merged into another; it then only redirects to the survivor.
  merged_into        uuid REFERENCES people (id),
  search_key         text GENERATED ALWAYS AS (f_search_key(given_name || ' ' || family_name)) STORED,
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  created_by         text NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  updated_by         text NOT NULL
);
CREATE INDEX people_name ON people (family_name, given_name, id);

-- A person's addresses in order, the first (position 0) being the primary one. A primary address
-- belongs to one person only; a secondary one may repeat, which is what duplicate detection looks for.
CREATE TABLE person_emails (
  person_id uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  position  integer NOT NULL,
  email     text NOT NULL,
  PRIMARY KEY (person_id, position)
);
CREATE UNIQUE INDEX person_emails_primary ON person_emails (lower(email)) WHERE position = 0;
CREATE INDEX person_emails_email ON person_emails (lower(email));

-- Roles over time: an ended role keeps its row, so a diplomat's past postings stay visible.
CREATE TABLE affiliations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id       uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  role            text,
  start_date      date,
  end_date        date,
  is_primary      boolean NOT NULL DEFAULT false,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX affiliations_person ON affiliations (person_id);
CREATE INDEX affiliations_organization ON affiliations (organization_id);

-- Who was erased, and when: enough to answer 410 Gone, nothing about who they were.
CREATE TABLE erasures (
  person_id uuid PRIMARY KEY,
  erased_at timestamptz NOT NULL DEFAULT now(),
  erased_by text NOT NULL
);

CREATE TABLE merges (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  survivor_id uuid NOT NULL,
  merged_ids  uuid[] NOT NULL,
  merged_by   text NOT NULL,
  merged_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX merges_survivor ON merges (survivor_id);
