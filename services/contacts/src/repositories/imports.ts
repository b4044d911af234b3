import { withTransaction, type Db, type Queryable } from '@ccm/db'
import { phoneKeys } from './phone-keys.ts'
import { isoOrNull, type Row } from './rows.ts'

export type ImportStatus = 'queued' | 'running' | 'succeeded' | 'rejected' | 'failed'

export interface ImportRowReport {
  /** 1 is the first line after the header. */
  row: number
  action: 'create' | 'update' | 'unchanged' | 'reject'
  email: string | null
  personId: string | null
  changedFields?: string[]
  reasons?: { column: string; reason: string }[]
}

/** An import without its report, which can be large: it travels as JSON text, never parsed (see `get`). */
export interface ImportJob {
  id: string
  dryRun: boolean
  status: ImportStatus
  /** While queued: how many imports start before it (1 is next) on this instance. */
  queuePosition: number | null
  totalRows: number
  processedRows: number
  created: number
  updated: number
  rejected: number
  startedBy: string
  startedAt: string
  finishedAt: string | null
}

const toJob = (r: Row): ImportJob => ({
  id: r.id,
  dryRun: r.dry_run,
  status: r.status,
  queuePosition: null,
  totalRows: r.total_rows,
  processedRows: r.processed_rows,
  created: r.created,
  updated: r.updated,
  rejected: r.rejected,
  startedBy: r.started_by,
  startedAt: r.started_at.toISOString(),
  finishedAt: isoOrNull(r.finished_at),
})

/** One person to write: the fields an import sets. */
export interface BulkPerson {
  id: string
  givenName: string
  familyName: string
  phones: string[]
  preferredLanguage: string | null
  tags: string[]
}

/** A person as an import finds them: the fields it may change, and where they work now. */
export interface ImportedPerson extends BulkPerson {
  /** `<organization id>:<role>` of each current affiliation. */
  roles: string[]
  hasPrimary: boolean
}

export interface BulkAffiliation {
  personId: string
  organizationId: string
  role: string | null
  isPrimary: boolean
}

const jobColumns =
  'id, dry_run, status, total_rows, processed_rows, created, updated, rejected, started_by, started_at, finished_at'
/** The people as the bulk statements read them (jsonb_to_recordset, snake_case), with their phone keys. */
const peopleJson = (people: BulkPerson[]) =>
  JSON.stringify(
    people.map((p) => ({
      id: p.id,
      given_name: p.givenName,
      family_name: p.familyName,
      phones: p.phones,
      phone_keys: phoneKeys(p.phones),
      preferred_language: p.preferredLanguage,
      tags: p.tags,
    })),
  )

export function createImportsRepository(db: Db) {
  return {
    async start(
      dryRun: boolean,
      totalRows: number,
      status: 'queued' | 'running',
      actor: string,
      client: Queryable = db,
    ): Promise<ImportJob> {
      const { rows } = await client.query(
        `INSERT INTO imports (kind, dry_run, status, total_rows, started_by) VALUES ('people', $1, $2, $3, $4)
         RETURNING ${jobColumns}`,
        [dryRun, status, totalRows, actor],
      )
      return toJob(rows[0])
    },

    async running(id: string, client: Queryable = db): Promise<void> {
      await client.query(`UPDATE imports SET status = 'running' WHERE id = $1`, [id])
    },

    /** Written outside the import's transaction, so a poller sees progress while the import runs. */
    async progress(id: string, processedRows: number, client: Queryable = db): Promise<void> {
      await client.query(`UPDATE imports SET processed_rows = $2 WHERE id = $1`, [id, processedRows])
    },

    /**
     * `report` is the rows' report as JSON arrays, a slice of rows each. Each slice is sent by a statement of its
     * own and the database joins them, so no one statement holds the event loop while 100,000 rows are encoded.
     */
    async finish(
      id: string,
      outcome: { status: ImportStatus; created: number; updated: number; rejected: number; report: string[] },
    ): Promise<ImportJob> {
      return withTransaction(db, async (client) => {
        await client.query(`CREATE TEMPORARY TABLE import_report_slices (seq integer, rows jsonb) ON COMMIT DROP`)
        for (const [seq, slice] of outcome.report.entries())
          await client.query(`INSERT INTO import_report_slices VALUES ($1, $2::jsonb)`, [seq, slice])
        const { rows } = await client.query(
          `UPDATE imports SET status = $2, created = $3, updated = $4, rejected = $5, processed_rows = total_rows,
                  finished_at = now(),
                  report = (SELECT coalesce(jsonb_agg(r.entry ORDER BY s.seq, r.n), '[]')
                              FROM import_report_slices s, jsonb_array_elements(s.rows) WITH ORDINALITY AS r (entry, n))
            WHERE id = $1 RETURNING ${jobColumns}`,
          [id, outcome.status, outcome.created, outcome.updated, outcome.rejected],
        )
        return toJob(rows[0])
      })
    },

    /** The job and its report as JSON text: a report of 100,000 rows is passed on as it is, never parsed. */
    async get(id: string, client: Queryable = db): Promise<{ job: ImportJob; report: string | null } | null> {
      const { rows } = await client.query(`SELECT ${jobColumns}, report::text AS report FROM imports WHERE id = $1`, [
        id,
      ])
      return rows[0] ? { job: toJob(rows[0]), report: rows[0].report } : null
    },

    /**
     * Live people holding these addresses (lower-cased address → person id), a primary address winning
     * over a secondary one. The list goes as one JSON text: pg would escape a 100,000-element array
     * parameter element by element, holding the event loop meanwhile.
     */
    async peopleByEmail(emails: string[], client: Queryable = db): Promise<Map<string, string>> {
      const { rows } = await client.query(
        `SELECT DISTINCT ON (lower(e.email)) lower(e.email) AS email, e.person_id
           FROM person_emails e JOIN people p ON p.id = e.person_id AND p.merged_into IS NULL
          WHERE lower(e.email) IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY lower(e.email), e.position`,
        [JSON.stringify(emails)],
      )
      return new Map(rows.map((r) => [r.email, r.person_id]))
    },

    /** The fields an import may change, and the organisations a person currently works at, locked for the update. */
    async currentForUpdate(ids: string[], client: Queryable): Promise<Map<string, ImportedPerson>> {
      const { rows } = await client.query(
        `SELECT p.id, p.given_name, p.family_name, p.phones, p.preferred_language, p.tags,
                ARRAY(SELECT a.organization_id || ':' || coalesce(a.role, '') FROM affiliations a
                       WHERE a.person_id = p.id AND (a.end_date IS NULL OR a.end_date >= current_date)) AS roles,
                EXISTS (SELECT 1 FROM affiliations a WHERE a.person_id = p.id AND a.is_primary) AS has_primary
           FROM people p WHERE p.id = ANY($1::uuid[]) ORDER BY p.id FOR UPDATE OF p`,
        [ids],
      )
      return new Map(
        rows.map((r: Row) => [
          r.id,
          {
            id: r.id,
            givenName: r.given_name,
            familyName: r.family_name,
            phones: r.phones,
            preferredLanguage: r.preferred_language,
            tags: r.tags,
            roles: r.roles,
            hasPrimary: r.has_primary,
          },
        ]),
      )
    },

    async insertPeople(people: BulkPerson[], actor: string, client: Queryable): Promise<void> {
      await client.query(
        `INSERT INTO people (id, given_name, family_name, phones, phone_keys, preferred_language, tags, created_by,
                             updated_by)
         SELECT id, given_name, family_name, phones, phone_keys, preferred_language, tags, $2, $2
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, given_name text, family_name text, phones text[],
                                                    phone_keys text[], preferred_language text, tags text[])`,
        [peopleJson(people), actor],
      )
    },

    async updatePeople(people: BulkPerson[], actor: string, client: Queryable): Promise<void> {
      await client.query(
        `UPDATE people p SET given_name = r.given_name, family_name = r.family_name, phones = r.phones,
                phone_keys = r.phone_keys, preferred_language = r.preferred_language, tags = r.tags,
                version = p.version + 1, updated_at = now(), updated_by = $2
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, given_name text, family_name text, phones text[],
                                                    phone_keys text[], preferred_language text, tags text[])
          WHERE p.id = r.id`,
        [peopleJson(people), actor],
      )
    },

    async insertEmails(emails: { personId: string; email: string }[], client: Queryable): Promise<void> {
      await client.query(
        `INSERT INTO person_emails (person_id, position, email)
         SELECT person_id, 0, email FROM jsonb_to_recordset($1::jsonb) AS r(person_id uuid, email text)`,
        [JSON.stringify(emails.map((e) => ({ person_id: e.personId, email: e.email })))],
      )
    },

    async insertAffiliations(affiliations: BulkAffiliation[], actor: string, client: Queryable): Promise<void> {
      await client.query(
        `INSERT INTO affiliations (person_id, organization_id, role, is_primary, created_by)
         SELECT person_id, organization_id, role, is_primary, $2
           FROM jsonb_to_recordset($1::jsonb)
                AS r(person_id uuid, organization_id uuid, role text, is_primary boolean)`,
        [
          JSON.stringify(
            affiliations.map((a) => ({
              person_id: a.personId,
              organization_id: a.organizationId,
              role: a.role,
              is_primary: a.isPrimary,
            })),
          ),
          actor,
        ],
      )
    },
  }
}

export type ImportsRepository = ReturnType<typeof createImportsRepository>
