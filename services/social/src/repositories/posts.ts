import type { Queryable } from '@ccm/db'
import type { postStatuses } from '@ccm/events'

export type PostStatus = (typeof postStatuses)[number]

export interface PostContent {
  text: string
  variants: Record<string, { text: string }>
  translations: Record<string, { text: string }>
  thread: string[]
  language: string
  media: string[]
  channels: string[]
  scheduledAt: string | null
  timeZone: string
}

export interface Post extends PostContent {
  id: string
  status: PostStatus
  author: string
  approvedBy: string | null
  approvedAt: string | null
  /** Who changed its words since it was last approved: none of them may approve it. */
  editedBy: string[]
  /** Its words as last submitted for approval, for the approver to see what changed since. */
  submitted: SubmittedWords | null
  reviewNote: string | null
  causedByEventId: string | null
  version: number
  createdAt: string
  updatedAt: string
}

/** The words of a post (everything `editedBy` watches) as submitted, by whom and when. */
export interface SubmittedWords {
  text: string
  variants: Record<string, { text: string }>
  thread: string[]
  media: string[]
  channels: string[]
  submittedBy: string
  submittedAt: string
}

type Row = Record<string, any>

/** SQL for the snapshot of a row's words as they stand, submitted by `actor` (a parameter) now. */
const submittedWords = (actor: string) =>
  `jsonb_build_object('text', text, 'variants', variants, 'thread', to_jsonb(thread), 'media', to_jsonb(media_ids),
                      'channels', to_jsonb(channel_ids), 'submittedBy', ${actor}::text, 'submittedAt', now())`

const toPost = (r: Row): Post => ({
  id: r.id,
  status: r.status,
  text: r.text,
  variants: r.variants,
  translations: r.translations,
  thread: r.thread,
  language: r.language,
  media: r.media_ids,
  channels: r.channel_ids,
  scheduledAt: r.scheduled_at?.toISOString() ?? null,
  timeZone: r.time_zone,
  author: r.author,
  approvedBy: r.approved_by,
  approvedAt: r.approved_at?.toISOString() ?? null,
  editedBy: r.edited_by,
  // jsonb keeps the time as Postgres prints it; the API gives every time as toISOString does.
  submitted: r.submitted && { ...r.submitted, submittedAt: new Date(r.submitted.submittedAt).toISOString() },
  reviewNote: r.review_note,
  causedByEventId: r.caused_by_event_id,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
})

export interface PostFilter {
  from?: string
  to?: string
  status?: PostStatus
  channel?: string
}

function where(filter: PostFilter): { sql: string; values: unknown[] } {
  const clauses: string[] = []
  const values: unknown[] = []
  if (filter.from) clauses.push(`scheduled_at >= $${values.push(filter.from)}`)
  if (filter.to) clauses.push(`scheduled_at < $${values.push(filter.to)}`)
  if (filter.status) clauses.push(`status = $${values.push(filter.status)}`)
  if (filter.channel) clauses.push(`$${values.push(filter.channel)}::uuid = ANY(channel_ids)`)
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', values }
}

const contentValues = (c: PostContent) => [
  c.text,
  c.variants,
  c.translations,
  c.thread,
  c.language,
  c.media,
  c.channels,
  c.scheduledAt,
  c.timeZone,
]

export function createPostsRepository(db: Queryable) {
  return {
    async insert(
      content: PostContent,
      status: PostStatus,
      author: string,
      client: Queryable,
      causedByEventId: string | null = null,
    ): Promise<Post | null> {
      const { rows } = await client.query(
        `INSERT INTO posts (text, variants, translations, thread, language, media_ids, channel_ids, scheduled_at,
                            time_zone, status, author, updated_by, caused_by_event_id, submitted)
         SELECT text, variants, translations, thread, language, media_ids, channel_ids, scheduled_at, time_zone,
                status, author, author, caused_by_event_id,
                CASE WHEN status = 'submitted' THEN ${submittedWords('author')} END
           FROM (VALUES ($1::text, $2::jsonb, $3::jsonb, $4::text[], $5::text, $6::uuid[], $7::uuid[],
                         $8::timestamptz, $9::text, $10::text, $11::text, $12::uuid))
             AS new (text, variants, translations, thread, language, media_ids, channel_ids, scheduled_at, time_zone,
                     status, author, caused_by_event_id)
         ON CONFLICT (caused_by_event_id) DO NOTHING RETURNING *`,
        [...contentValues(content), status, author, causedByEventId],
      )
      return rows[0] ? toPost(rows[0]) : null
    },

    async get(id: string, client: Queryable = db): Promise<Post | null> {
      const { rows } = await client.query(`SELECT * FROM posts WHERE id = $1`, [id])
      return rows[0] ? toPost(rows[0]) : null
    },

    /** Locks the post until the transaction ends: workflow actions and delivery outcomes apply in turn. */
    async getForUpdate(id: string, client: Queryable): Promise<Post | null> {
      const { rows } = await client.query(`SELECT * FROM posts WHERE id = $1 FOR UPDATE`, [id])
      return rows[0] ? toPost(rows[0]) : null
    },

    /** `wordsChanged`: the actor joins the post's editors. */
    async updateContent(
      id: string,
      content: PostContent,
      status: PostStatus,
      actor: string,
      wordsChanged: boolean,
      client: Queryable,
    ): Promise<Post> {
      const { rows } = await client.query(
        `UPDATE posts SET text = $2, variants = $3, translations = $4, thread = $5, language = $6, media_ids = $7,
                channel_ids = $8, scheduled_at = $9, time_zone = $10, status = $11,
                approved_by = NULL, approved_at = NULL,
                edited_by = CASE WHEN $13::boolean AND NOT $12 = ANY(edited_by) THEN array_append(edited_by, $12)
                                 ELSE edited_by END,
                version = version + 1, updated_at = now(), updated_by = $12
          WHERE id = $1 RETURNING *`,
        [id, ...contentValues(content), status, actor, wordsChanged],
      )
      return toPost(rows[0])
    },

    async setStatus(
      id: string,
      status: PostStatus,
      actor: string,
      client: Queryable,
      extra: {
        approvedBy?: string | null
        reviewNote?: string | null
        scheduledAt?: string | null
        timeZone?: string
      } = {},
    ): Promise<Post> {
      const { rows } = await client.query(
        `UPDATE posts SET status = $2, updated_by = $3, updated_at = now(), version = version + 1,
                approved_by = CASE WHEN $4::boolean THEN $5 ELSE approved_by END,
                approved_at = CASE WHEN $4::boolean THEN (CASE WHEN $5::text IS NULL THEN NULL ELSE now() END)
                                   ELSE approved_at END,
                edited_by = CASE WHEN $5::text IS NULL THEN edited_by ELSE '{}' END,
                submitted = CASE WHEN $2 = 'submitted' THEN ${submittedWords('$3')} ELSE submitted END,
                review_note = CASE WHEN $6::boolean THEN $7 ELSE review_note END,
                scheduled_at = CASE WHEN $8::boolean THEN $9::timestamptz ELSE scheduled_at END,
                time_zone = coalesce($10, time_zone)
          WHERE id = $1 RETURNING *`,
        [
          id,
          status,
          actor,
          'approvedBy' in extra,
          extra.approvedBy ?? null,
          'reviewNote' in extra,
          extra.reviewNote ?? null,
          'scheduledAt' in extra,
          extra.scheduledAt ?? null,
          extra.timeZone ?? null,
        ],
      )
      return toPost(rows[0])
    },

    /**
     * The scheduler's view: a status only, no version bump (a person's edit must not look stale because a delivery
     * settled).
     */
    async setStatusBySystem(id: string, status: PostStatus, client: Queryable): Promise<void> {
      await client.query(`UPDATE posts SET status = $2, updated_at = now() WHERE id = $1`, [id, status])
    },

    /**
     * Marks posts publishing once one of their deliveries is claimed; rows locked in id order, so two instances never
     * deadlock.
     */
    async markPublishing(ids: string[], client: Queryable = db): Promise<void> {
      if (ids.length === 0) return
      await client.query(
        `UPDATE posts SET status = 'publishing', updated_at = now()
          WHERE id IN (SELECT id FROM posts WHERE id = ANY($1::uuid[]) AND status = 'scheduled'
                        ORDER BY id FOR UPDATE)`,
        [ids],
      )
    },

    async list(filter: PostFilter, page: { limit: number; offset: number }, client: Queryable = db) {
      const { sql, values } = where(filter)
      const { rows } = await client.query(
        `SELECT *, count(*) OVER () AS total FROM posts ${sql}
          ORDER BY scheduled_at NULLS LAST, created_at, id LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        [...values, page.limit, page.offset],
      )
      const total =
        rows[0]?.total ??
        (page.offset > 0 ? (await client.query(`SELECT count(*)::int AS n FROM posts ${sql}`, values)).rows[0].n : 0)
      return { items: rows.map(toPost), total: Number(total) }
    },

    /** Posts with a time in the window that have not been withdrawn: the calendar feed. */
    async calendar(from: string, to: string, client: Queryable = db): Promise<Post[]> {
      const { rows } = await client.query(
        `SELECT * FROM posts WHERE scheduled_at >= $1 AND scheduled_at < $2 AND status NOT IN ('draft', 'cancelled')
          ORDER BY scheduled_at, id LIMIT 5000`,
        [from, to],
      )
      return rows.map(toPost)
    },
  }
}

export type PostsRepository = ReturnType<typeof createPostsRepository>
