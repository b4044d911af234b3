import type { Queryable } from '@ccm/db'

export interface Media {
  id: string
  contentType: string
  sizeBytes: number
  altText: string | null
  createdBy: string
  createdAt: string
}

// pg returns untyped rows; each is mapped to a typed object below.
type Row = Record<string, any>

const toMedia = (r: Row): Media => ({
  id: r.id,
  contentType: r.content_type,
  sizeBytes: r.size_bytes,
  altText: r.alt_text,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
})

const columns = 'id, content_type, size_bytes, alt_text, created_by, created_at'

export function createMediaRepository(db: Queryable) {
  return {
    async insert(
      media: { contentType: string; bytes: Buffer; altText: string | null },
      actor: string,
      client: Queryable = db,
    ): Promise<Media> {
      const { rows } = await client.query(
        `INSERT INTO media (content_type, size_bytes, bytes, alt_text, created_by) VALUES ($1, $2, $3, $4, $5)
         RETURNING ${columns}`,
        [media.contentType, media.bytes.length, media.bytes, media.altText, actor],
      )
      return toMedia(rows[0])
    },

    async get(id: string, client: Queryable = db): Promise<Media | null> {
      const { rows } = await client.query(`SELECT ${columns} FROM media WHERE id = $1`, [id])
      return rows[0] ? toMedia(rows[0]) : null
    },

    async existing(ids: string[], client: Queryable = db): Promise<Set<string>> {
      const { rows } = await client.query(`SELECT id FROM media WHERE id = ANY($1::uuid[])`, [ids])
      return new Set(rows.map((r) => r.id as string))
    },

    /** The images with their bytes, in the order given. */
    async contents(
      ids: string[],
      client: Queryable = db,
    ): Promise<{ id: string; contentType: string; bytes: Buffer; altText: string | null }[]> {
      if (ids.length === 0) return []
      const { rows } = await client.query(
        `SELECT id, content_type, bytes, alt_text FROM media WHERE id = ANY($1::uuid[])`,
        [ids],
      )
      const byId = new Map(
        rows.map((r) => [
          r.id as string,
          { id: r.id, contentType: r.content_type, bytes: r.bytes, altText: r.alt_text },
        ]),
      )
      return ids.flatMap((id) => byId.get(id) ?? [])
    },
  }
}

export type MediaRepository = ReturnType<typeof createMediaRepository>
