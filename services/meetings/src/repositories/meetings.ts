import type { Queryable } from '@ccm/db'
import { meetingKinds } from '@ccm/events'

export { meetingKinds }
export const meetingStatuses = ['planned', 'registration_open', 'held', 'cancelled'] as const
export type MeetingKind = (typeof meetingKinds)[number]
export type MeetingStatus = (typeof meetingStatuses)[number]

export interface MeetingFields {
  kind: MeetingKind
  number: number | null
  title: string
  city: string | null
  country: string | null
  startsOn: string | null
  endsOn: string | null
  presidingIso3: string | null
  status: MeetingStatus
  registrationDeadline: string | null
}

export interface Meeting extends MeetingFields {
  id: string
  code: string | null
  version: number
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
}

// pg's rows are untyped; each is mapped to its typed record here, at the SQL boundary.
type Row = Record<string, any>

const toMeeting = (r: Row): Meeting => ({
  id: r.id,
  code: r.code,
  kind: r.kind,
  number: r.number,
  title: r.title,
  city: r.city,
  country: r.country,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  presidingIso3: r.presiding_iso3,
  status: r.status,
  registrationDeadline: r.registration_deadline,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
})

const values = (f: MeetingFields) => [
  f.kind,
  f.number,
  f.title,
  f.city,
  f.country,
  f.startsOn,
  f.endsOn,
  f.presidingIso3,
  f.status,
  f.registrationDeadline,
]

export interface MeetingFilter {
  kind?: MeetingKind
  status?: MeetingStatus
  year?: number
}

export function createMeetingsRepository(db: Queryable) {
  return {
    /** Null when `code` is taken already (a seed run again). */
    async insert(
      meeting: MeetingFields & { id: string; code: string | null },
      actor: string,
      client: Queryable = db,
    ): Promise<Meeting | null> {
      const { rows } = await client.query(
        `INSERT INTO meetings (id, code, kind, number, title, city, country, starts_on, ends_on, presiding_iso3, status,
                               registration_deadline, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
         ON CONFLICT (code) DO NOTHING RETURNING *`,
        [meeting.id, meeting.code, ...values(meeting), actor],
      )
      return rows[0] ? toMeeting(rows[0]) : null
    },

    async update(id: string, fields: MeetingFields, actor: string, client: Queryable = db): Promise<Meeting> {
      const { rows } = await client.query(
        `UPDATE meetings SET kind = $2, number = $3, title = $4, city = $5, country = $6, starts_on = $7, ends_on = $8,
                presiding_iso3 = $9, status = $10, registration_deadline = $11, version = version + 1,
                updated_at = now(), updated_by = $12
          WHERE id = $1 RETURNING *`,
        [id, ...values(fields), actor],
      )
      return toMeeting(rows[0])
    },

    async get(id: string, client: Queryable = db): Promise<Meeting | null> {
      const { rows } = await client.query(`SELECT * FROM meetings WHERE id = $1`, [id])
      return rows[0] ? toMeeting(rows[0]) : null
    },

    async getForUpdate(id: string, client: Queryable): Promise<Meeting | null> {
      const { rows } = await client.query(`SELECT * FROM meetings WHERE id = $1 FOR UPDATE`, [id])
      return rows[0] ? toMeeting(rows[0]) : null
    },

    /** Latest first; meetings not yet dated at the top. */
    async list(filter: MeetingFilter, page: { limit: number; offset: number }, client: Queryable = db) {
      const clauses: string[] = []
      const params: unknown[] = []
      if (filter.kind) clauses.push(`kind = $${params.push(filter.kind)}`)
      if (filter.status) clauses.push(`status = $${params.push(filter.status)}`)
      if (filter.year) clauses.push(`extract(year FROM starts_on) = $${params.push(filter.year)}`)
      const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''
      const { rows } = await client.query(
        `SELECT *, count(*) OVER ()::int AS total FROM meetings ${where}
          ORDER BY starts_on DESC NULLS FIRST, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, page.limit, page.offset],
      )
      const total =
        rows[0]?.total ??
        (page.offset > 0
          ? (await client.query(`SELECT count(*)::int AS n FROM meetings ${where}`, params)).rows[0].n
          : 0)
      return { items: rows.map(toMeeting), total }
    },
  }
}

export type MeetingsRepository = ReturnType<typeof createMeetingsRepository>
