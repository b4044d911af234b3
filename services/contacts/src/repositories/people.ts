import type { Queryable } from '@ccm/db'
import type { languages } from '../schemas/common.ts'
import type { consentBases } from '../schemas/people.ts'
import { phoneKeys } from './phone-keys.ts'
import { whereBuilder, type Row } from './rows.ts'

export type Language = (typeof languages)[number]

export interface Consent {
  basis: (typeof consentBases)[number]
  date: string
  source: string
}

export interface Affiliation {
  id: string
  organizationId: string
  organizationName: string
  role: string | null
  startDate: string | null
  endDate: string | null
  primary: boolean
  /** Not ended, or ending in the future. */
  current: boolean
  version: number
}

export interface PersonFields {
  honorific: string | null
  givenName: string
  familyName: string
  jobTitle: string | null
  emails: string[]
  phones: string[]
  preferredLanguage: Language | null
  languages: string[]
  tags: string[]
  notes: string | null
  consent: Consent | null
  doNotContact: boolean
}

export interface Person extends PersonFields {
  id: string
  affiliations: Affiliation[]
  version: number
  createdAt: string
  updatedAt: string
}

export interface AffiliationFields {
  organizationId: string
  role: string | null
  startDate: string | null
  endDate: string | null
  primary: boolean
}

export interface PersonFilter {
  q?: string
  tag?: string
  organizationId?: string
  country?: string
  language?: string
  doNotContact?: boolean
}

const columns = `p.id, p.honorific, p.given_name, p.family_name, p.job_title, p.phones, p.preferred_language,
  p.languages, p.tags, p.notes, p.consent, p.do_not_contact, p.version, p.created_at, p.updated_at,
  coalesce((SELECT array_agg(e.email ORDER BY e.position) FROM person_emails e WHERE e.person_id = p.id), '{}')
    AS emails,
  coalesce((SELECT json_agg(json_build_object(
      'id', a.id, 'organizationId', a.organization_id, 'organizationName', o.name, 'role', a.role,
      'startDate', a.start_date, 'endDate', a.end_date, 'primary', a.is_primary,
      'current', a.end_date IS NULL OR a.end_date >= current_date, 'version', a.version)
    ORDER BY a.end_date IS NULL DESC, a.end_date DESC, a.start_date DESC NULLS LAST, a.created_at DESC)
    FROM affiliations a JOIN organizations o ON o.id = a.organization_id WHERE a.person_id = p.id), '[]')
    AS affiliations`

const toPerson = (r: Row): Person => ({
  id: r.id,
  honorific: r.honorific,
  givenName: r.given_name,
  familyName: r.family_name,
  jobTitle: r.job_title,
  emails: r.emails,
  phones: r.phones,
  preferredLanguage: r.preferred_language,
  languages: r.languages,
  tags: r.tags,
  notes: r.notes,
  consent: r.consent,
  doNotContact: r.do_not_contact,
  affiliations: r.affiliations,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
})

const currentAffiliation = `a.person_id = p.id AND (a.end_date IS NULL OR a.end_date >= current_date)`

function where(filter: PersonFilter) {
  const w = whereBuilder()
  w.add('p.merged_into IS NULL')
  if (filter.q) {
    // Every word typed must start a word of the name (the search index of migration 005).
    const words = `regexp_split_to_table(f_search_key(${w.param(filter.q)}), ' ')`
    w.add(`p.id IN (
      SELECT sw.entity_id::uuid FROM ${words} WITH ORDINALITY AS qw(word, n)
        JOIN search_vocabulary v ON v.word LIKE replace(replace(qw.word, '%', '\\%'), '_', '\\_') || '%'
        JOIN search_words sw ON sw.word = v.word AND sw.entity_type = 'person'
       WHERE qw.word <> ''
       GROUP BY sw.entity_id HAVING count(DISTINCT qw.n) = (SELECT count(*) FROM ${words} AS x WHERE x <> ''))`)
  }
  if (filter.tag) w.add(`p.tags @> ARRAY[${w.param(filter.tag)}]::text[]`)
  if (filter.language) w.add(`p.preferred_language = ${w.param(filter.language)}`)
  if (filter.doNotContact !== undefined) w.add(`p.do_not_contact = ${w.param(filter.doNotContact)}`)
  if (filter.organizationId)
    w.add(
      `EXISTS (SELECT 1 FROM affiliations a
                WHERE ${currentAffiliation} AND a.organization_id = ${w.param(filter.organizationId)})`,
    )
  if (filter.country) {
    w.add(`EXISTS (SELECT 1 FROM affiliations a JOIN organizations o ON o.id = a.organization_id
                    WHERE ${currentAffiliation} AND o.country = ${w.param(filter.country)})`)
  }
  return w
}

export const personFieldsOf = (p: PersonFields): PersonFields => ({
  honorific: p.honorific,
  givenName: p.givenName,
  familyName: p.familyName,
  jobTitle: p.jobTitle,
  emails: p.emails,
  phones: p.phones,
  preferredLanguage: p.preferredLanguage,
  languages: p.languages,
  tags: p.tags,
  notes: p.notes,
  consent: p.consent,
  doNotContact: p.doNotContact,
})

/** A person's own columns, in the order insert and update name them ($2 to $14: the actor is $13). */
const storedFields = (f: PersonFields, actor: string) => [
  f.honorific,
  f.givenName,
  f.familyName,
  f.jobTitle,
  f.phones,
  f.preferredLanguage,
  f.languages,
  f.tags,
  f.notes,
  f.consent,
  f.doNotContact,
  actor,
  phoneKeys(f.phones),
]

export function createPeopleRepository(db: Queryable) {
  return {
    async list(filter: PersonFilter, page: { limit: number; offset: number }, client: Queryable = db) {
      const w = where(filter)
      const { rows } = await client.query(
        `SELECT ${columns}, count(*) OVER () AS total FROM people p ${w.sql}
          ORDER BY p.family_name, p.given_name, p.id LIMIT ${w.param(page.limit)} OFFSET ${w.param(page.offset)}`,
        w.values,
      )
      const count = where(filter)
      const total =
        rows[0]?.total ??
        (page.offset > 0
          ? (await client.query(`SELECT count(*) AS n FROM people p ${count.sql}`, count.values)).rows[0].n
          : 0)
      return { items: rows.map(toPerson), total }
    },

    async *stream(filter: PersonFilter, batchSize = 1000, client: Queryable = db): AsyncGenerator<Person> {
      let after: Row | null = null
      for (;;) {
        const w = where(filter)
        if (after)
          w.add(
            `(p.family_name, p.given_name, p.id)
               > (${w.param(after.family_name)}, ${w.param(after.given_name)}, ${w.param(after.id)})`,
          )
        const { rows } = await client.query(
          `SELECT ${columns} FROM people p ${w.sql}
            ORDER BY p.family_name, p.given_name, p.id LIMIT ${w.param(batchSize)}`,
          w.values,
        )
        for (const row of rows) yield toPerson(row)
        if (rows.length < batchSize) return
        after = rows[rows.length - 1]
      }
    },

    async get(id: string, client: Queryable = db): Promise<Person | null> {
      const { rows } = await client.query(`SELECT ${columns} FROM people p WHERE p.id = $1 AND p.merged_into IS NULL`, [
        id,
      ])
      return rows[0] ? toPerson(rows[0]) : null
    },

    async getForUpdate(id: string, client: Queryable): Promise<Person | null> {
      await client.query(`SELECT 1 FROM people WHERE id = $1 FOR UPDATE`, [id])
      return this.get(id, client)
    },

    /** Why a person is not there: merged into someone (their id), erased, or never existed. */
    async whyMissing(id: string, client: Queryable = db): Promise<{ mergedInto: string | null; erased: boolean }> {
      const { rows } = await client.query(
        `SELECT (SELECT merged_into FROM people WHERE id = $1) AS merged_into,
                EXISTS (SELECT 1 FROM erasures WHERE person_id = $1) AS erased`,
        [id],
      )
      return { mergedInto: rows[0].merged_into, erased: rows[0].erased }
    },

    async insert(fields: PersonFields, actor: string, client: Queryable, id?: string): Promise<string> {
      const { rows } = await client.query(
        `INSERT INTO people (id, honorific, given_name, family_name, job_title, phones, preferred_language, languages,
                             tags, notes, consent, do_not_contact, created_by, updated_by, phone_keys)
         VALUES (coalesce($1, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14)
         RETURNING id`,
        [id ?? null, ...storedFields(fields, actor)],
      )
      await this.setEmails(rows[0].id, fields.emails, client)
      return rows[0].id
    },

    async update(id: string, fields: PersonFields, actor: string, client: Queryable): Promise<void> {
      await client.query(
        `UPDATE people SET honorific = $2, given_name = $3, family_name = $4, job_title = $5, phones = $6,
                preferred_language = $7, languages = $8, tags = $9, notes = $10, consent = $11, do_not_contact = $12,
                phone_keys = $14, version = version + 1, updated_at = now(), updated_by = $13
          WHERE id = $1`,
        [id, ...storedFields(fields, actor)],
      )
    },

    async bumpVersion(id: string, actor: string, client: Queryable): Promise<void> {
      await client.query(`UPDATE people SET version = version + 1, updated_at = now(), updated_by = $2 WHERE id = $1`, [
        id,
        actor,
      ])
    },

    async setEmails(personId: string, emails: string[], client: Queryable): Promise<void> {
      await client.query(`DELETE FROM person_emails WHERE person_id = $1`, [personId])
      await client.query(
        `INSERT INTO person_emails (person_id, position, email)
         SELECT $1, n - 1, e FROM unnest($2::text[]) WITH ORDINALITY AS t(e, n)`,
        [personId, emails],
      )
    },

    /** Who already has one of these addresses as their primary one (lower-cased address → person id). */
    async byPrimaryEmail(emails: string[], client: Queryable = db): Promise<Map<string, string>> {
      const { rows } = await client.query(
        `SELECT lower(email) AS email, person_id FROM person_emails
          WHERE position = 0 AND lower(email) = ANY($1::text[])`,
        [emails.map((e) => e.toLowerCase())],
      )
      return new Map(rows.map((r) => [r.email, r.person_id]))
    },

    async addAffiliation(personId: string, a: AffiliationFields, actor: string, client: Queryable): Promise<string> {
      if (a.primary)
        await client.query(`UPDATE affiliations SET is_primary = false WHERE person_id = $1 AND is_primary`, [personId])
      const { rows } = await client.query(
        `INSERT INTO affiliations (person_id, organization_id, role, start_date, end_date, is_primary, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [personId, a.organizationId, a.role, a.startDate, a.endDate, a.primary, actor],
      )
      return rows[0].id
    },

    async getAffiliationForUpdate(
      personId: string,
      id: string,
      client: Queryable,
    ): Promise<(AffiliationFields & { id: string; version: number }) | null> {
      const { rows } = await client.query(
        `SELECT id, organization_id, role, start_date, end_date, is_primary, version FROM affiliations
          WHERE id = $1 AND person_id = $2 FOR UPDATE`,
        [id, personId],
      )
      const r = rows[0]
      return r
        ? {
            id: r.id,
            organizationId: r.organization_id,
            role: r.role,
            startDate: r.start_date,
            endDate: r.end_date,
            primary: r.is_primary,
            version: r.version,
          }
        : null
    },

    async updateAffiliation(personId: string, id: string, a: AffiliationFields, client: Queryable): Promise<void> {
      if (a.primary)
        await client.query(
          `UPDATE affiliations SET is_primary = false WHERE person_id = $1 AND is_primary AND id <> $2`,
          [personId, id],
        )
      await client.query(
        `UPDATE affiliations SET organization_id = $2, role = $3, start_date = $4, end_date = $5, is_primary = $6,
                version = version + 1, updated_at = now() WHERE id = $1`,
        [id, a.organizationId, a.role, a.startDate, a.endDate, a.primary],
      )
    },
  }
}

export type PeopleRepository = ReturnType<typeof createPeopleRepository>
