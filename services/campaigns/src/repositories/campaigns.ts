import type { Queryable } from '@ccm/db'
import type { CampaignStatus, GoalMetric } from '../services/stage-rules.ts'

export interface Goal {
  metric: GoalMetric
  target: number
}

export interface Campaign {
  id: string
  name: string
  objective: string
  description: string | null
  owner: string
  startsOn: string | null
  endsOn: string | null
  status: CampaignStatus
  goal: Goal | null
  tags: string[]
  staleAfterDays: number
  goalReachedAt: string | null
  version: number
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
}

/** The fields a person sets; the rest the service keeps. */
export type CampaignFields = Pick<
  Campaign,
  'name' | 'objective' | 'description' | 'owner' | 'startsOn' | 'endsOn' | 'status' | 'goal' | 'tags' | 'staleAfterDays'
>

type Row = Record<string, any>

const toCampaign = (r: Row): Campaign => ({
  id: r.id,
  name: r.name,
  objective: r.objective,
  description: r.description,
  owner: r.owner,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  status: r.status,
  goal: r.goal_metric ? { metric: r.goal_metric, target: r.goal_target } : null,
  tags: r.tags,
  staleAfterDays: r.stale_after_days,
  goalReachedAt: r.goal_reached_at?.toISOString() ?? null,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
})

export interface CampaignFilter {
  status?: CampaignStatus
  tag?: string
  q?: string
}

/** A campaign's own columns, in the order insert and update name them ($2 to $12). */
const storedFields = (f: CampaignFields) => [
  f.name,
  f.objective,
  f.description,
  f.owner,
  f.startsOn,
  f.endsOn,
  f.status,
  f.goal?.metric ?? null,
  f.goal?.target ?? null,
  f.tags,
  f.staleAfterDays,
]

export function createCampaignsRepository(db: Queryable) {
  return {
    async insert(id: string, fields: CampaignFields, actor: string, client: Queryable = db): Promise<Campaign> {
      const { rows } = await client.query(
        `INSERT INTO campaigns (id, name, objective, description, owner, starts_on, ends_on, status, goal_metric,
                                goal_target, tags, stale_after_days, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING *`,
        [id, ...storedFields(fields), actor],
      )
      return toCampaign(rows[0])
    },

    async update(id: string, fields: CampaignFields, actor: string, client: Queryable = db): Promise<Campaign> {
      const { rows } = await client.query(
        `UPDATE campaigns SET name = $2, objective = $3, description = $4, owner = $5, starts_on = $6, ends_on = $7,
                status = $8, goal_metric = $9, goal_target = $10, tags = $11, stale_after_days = $12,
                version = version + 1, updated_at = now(), updated_by = $13
          WHERE id = $1 RETURNING *`,
        [id, ...storedFields(fields), actor],
      )
      return toCampaign(rows[0])
    },

    async markGoalReached(id: string, client: Queryable = db): Promise<void> {
      await client.query(`UPDATE campaigns SET goal_reached_at = now() WHERE id = $1 AND goal_reached_at IS NULL`, [id])
    },

    async get(id: string, client: Queryable = db): Promise<Campaign | null> {
      const { rows } = await client.query(`SELECT * FROM campaigns WHERE id = $1`, [id])
      return rows[0] ? toCampaign(rows[0]) : null
    },

    /** Locks the campaign's row until the transaction ends. */
    async getForUpdate(id: string, client: Queryable): Promise<Campaign | null> {
      const { rows } = await client.query(`SELECT * FROM campaigns WHERE id = $1 FOR UPDATE`, [id])
      return rows[0] ? toCampaign(rows[0]) : null
    },

    async list(filter: CampaignFilter, page: { limit: number; offset: number }, client: Queryable = db) {
      const clauses: string[] = []
      const values: unknown[] = []
      if (filter.status) clauses.push(`status = $${values.push(filter.status)}`)
      if (filter.tag) clauses.push(`$${values.push(filter.tag)} = ANY(tags)`)
      if (filter.q) clauses.push(`name ILIKE '%' || $${values.push(filter.q.replace(/[\\%_]/g, '\\$&'))} || '%'`)
      const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''
      const { rows } = await client.query(
        `SELECT *, count(*) OVER () AS total FROM campaigns ${where}
          ORDER BY created_at DESC, id LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        [...values, page.limit, page.offset],
      )
      const total =
        rows[0]?.total ??
        (page.offset > 0
          ? (await client.query(`SELECT count(*)::int AS n FROM campaigns ${where}`, values)).rows[0].n
          : 0)
      return { items: rows.map(toCampaign), total }
    },
  }
}

export type CampaignsRepository = ReturnType<typeof createCampaignsRepository>
