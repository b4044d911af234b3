import type { Queryable } from '@ccm/db'

export const documentKinds = [
  'agenda',
  'programme_of_work',
  'report',
  'working_paper',
  'statement',
  'list_of_participants',
  'other',
] as const

export interface MeetingDocument {
  id: string
  meetingId: string
  symbol: string
  title: string
  kind: (typeof documentKinds)[number]
  languages: { language: string; url: string }[]
  createdAt: string
  createdBy: string
}

// pg's rows are untyped; each is mapped to its typed record here, at the SQL boundary.
type Row = Record<string, any>

const toDocument = (r: Row): MeetingDocument => ({
  id: r.id,
  meetingId: r.meeting_id,
  symbol: r.symbol,
  title: r.title,
  kind: r.kind,
  languages: r.languages,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
})

export function createDocumentsRepository(db: Queryable) {
  return {
    /** Null when the meeting has a document with that symbol already. */
    async insert(
      document: Omit<MeetingDocument, 'createdAt' | 'createdBy'>,
      actor: string,
      client: Queryable = db,
    ): Promise<MeetingDocument | null> {
      const { rows } = await client.query(
        `INSERT INTO documents (id, meeting_id, symbol, title, kind, languages, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (meeting_id, symbol) DO NOTHING RETURNING *`,
        [
          document.id,
          document.meetingId,
          document.symbol,
          document.title,
          document.kind,
          JSON.stringify(document.languages),
          actor,
        ],
      )
      return rows[0] ? toDocument(rows[0]) : null
    },

    async ofMeeting(meetingId: string, client: Queryable = db): Promise<MeetingDocument[]> {
      const { rows } = await client.query(`SELECT * FROM documents WHERE meeting_id = $1 ORDER BY symbol`, [meetingId])
      return rows.map(toDocument)
    },
  }
}

export type DocumentsRepository = ReturnType<typeof createDocumentsRepository>
