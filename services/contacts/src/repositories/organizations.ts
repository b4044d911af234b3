import type { Queryable } from '@ccm/db'
import type { EventData } from '@ccm/events'
import { isoOrNull, likeEscape, whereBuilder, type Row } from './rows.ts'

export type OrganizationType = EventData<'contacts.organization.created'>['type']

export interface Organization {
  id: string
  type: OrganizationType
  name: string
  shortName: string | null
  country: string | null
  website: string | null
  tags: string[]
  archived: boolean
  archivedAt: string | null
  version: number
  createdAt: string
  updatedAt: string
}

export type OrganizationFields = Pick<Organization, 'type' | 'name' | 'shortName' | 'country' | 'website' | 'tags'>

export interface OrganizationFilter {
  type?: string
  country?: string
  tag?: string
  q?: string
  archived?: boolean
}

const columns = `id, type, name, short_name, country, website, tags, archived_at, version, created_at, updated_at`

const toOrganization = (r: Row): Organization => ({
  id: r.id,
  type: r.type,
  name: r.name,
  shortName: r.short_name,
  country: r.country,
  website: r.website,
  tags: r.tags,
  archived: r.archived_at !== null,
  archivedAt: isoOrNull(r.archived_at),
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
})

function where(filter: OrganizationFilter) {
  const w = whereBuilder()
  w.add(filter.archived ? 'archived_at IS NOT NULL' : 'archived_at IS NULL')
  if (filter.type) w.add(`type = ${w.param(filter.type)}`)
  if (filter.country) w.add(`country = ${w.param(filter.country)}`)
  if (filter.tag) w.add(`tags @> ARRAY[${w.param(filter.tag)}]::text[]`)
  if (filter.q) w.add(`search_key LIKE '%' || f_search_key(${w.param(likeEscape(filter.q))}) || '%'`)
  return w
}

export function createOrganizationsRepository(db: Queryable) {
  return {
    async list(filter: OrganizationFilter, page: { limit: number; offset: number }, client: Queryable = db) {
      const w = where(filter)
      const { rows } = await client.query(
        `SELECT ${columns}, count(*) OVER () AS total FROM organizations ${w.sql}
          ORDER BY name, id LIMIT ${w.param(page.limit)} OFFSET ${w.param(page.offset)}`,
        w.values,
      )
      const total =
        rows[0]?.total ??
        (page.offset > 0
          ? (await client.query(`SELECT count(*) AS n FROM organizations ${where(filter).sql}`, where(filter).values))
              .rows[0].n
          : 0)
      return { items: rows.map(toOrganization), total }
    },

    /** Every matching organisation in name order, a batch at a time (for exports that must not load all at once). */
    async *stream(filter: OrganizationFilter, batchSize = 1000, client: Queryable = db): AsyncGenerator<Organization> {
      let after: { name: string; id: string } | null = null
      for (;;) {
        const w = where(filter)
        if (after) w.add(`(name, id) > (${w.param(after.name)}, ${w.param(after.id)})`)
        const { rows } = await client.query(
          `SELECT ${columns} FROM organizations ${w.sql} ORDER BY name, id LIMIT ${w.param(batchSize)}`,
          w.values,
        )
        for (const row of rows) yield toOrganization(row)
        if (rows.length < batchSize) return
        after = rows[rows.length - 1] as { name: string; id: string }
      }
    },

    async get(id: string, client: Queryable = db): Promise<Organization | null> {
      const { rows } = await client.query(`SELECT ${columns} FROM organizations WHERE id = $1`, [id])
      return rows[0] ? toOrganization(rows[0]) : null
    },

    async getForUpdate(id: string, client: Queryable): Promise<Organization | null> {
      const { rows } = await client.query(`SELECT ${columns} FROM organizations WHERE id = $1 FOR UPDATE`, [id])
      return rows[0] ? toOrganization(rows[0]) : null
    },

    async existing(ids: string[], client: Queryable = db): Promise<Set<string>> {
      const { rows } = await client.query(`SELECT id FROM organizations WHERE id = ANY($1::uuid[])`, [ids])
      return new Set(rows.map((r) => r.id))
    },

    /**
     * Active organisations matching names typed by people (name or short name; accents, case and punctuation ignored).
     */
    async idsByNames(names: string[], client: Queryable = db): Promise<Map<string, string>> {
      const { rows } = await client.query(
        `SELECT n AS name, (SELECT o.id FROM organizations o
                             WHERE o.archived_at IS NULL
                               AND (f_search_key(o.name) = f_search_key(n)
                                    OR f_search_key(o.short_name) = f_search_key(n))
                             ORDER BY f_search_key(o.name) = f_search_key(n) DESC, o.created_at DESC LIMIT 1) AS id
           FROM unnest($1::text[]) AS n`,
        [names],
      )
      return new Map(rows.filter((r) => r.id).map((r) => [r.name, r.id]))
    },

    async insert(fields: OrganizationFields, actor: string, client: Queryable): Promise<Organization> {
      const { rows } = await client.query(
        `INSERT INTO organizations (type, name, short_name, country, website, tags, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ${columns}`,
        [fields.type, fields.name, fields.shortName, fields.country, fields.website, fields.tags, actor],
      )
      return toOrganization(rows[0])
    },

    async update(id: string, fields: OrganizationFields, actor: string, client: Queryable): Promise<Organization> {
      const { rows } = await client.query(
        `UPDATE organizations SET type = $2, name = $3, short_name = $4, country = $5, website = $6, tags = $7,
                version = version + 1, updated_at = now(), updated_by = $8
          WHERE id = $1 RETURNING ${columns}`,
        [id, fields.type, fields.name, fields.shortName, fields.country, fields.website, fields.tags, actor],
      )
      return toOrganization(rows[0])
    },

    async archive(id: string, actor: string, client: Queryable): Promise<Organization> {
      const { rows } = await client.query(
        `UPDATE organizations SET archived_at = now(), version = version + 1, updated_at = now(), updated_by = $2
          WHERE id = $1 RETURNING ${columns}`,
        [id, actor],
      )
      return toOrganization(rows[0])
    },
  }
}

export type OrganizationsRepository = ReturnType<typeof createOrganizationsRepository>
