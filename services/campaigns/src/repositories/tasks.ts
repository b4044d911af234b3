import type { Queryable } from '@ccm/db'

export const taskStatuses = ['open', 'done', 'cancelled'] as const
export type TaskStatus = (typeof taskStatuses)[number]

export interface Task {
  id: string
  campaignId: string
  iso3: string | null
  title: string
  assignee: string
  dueOn: string | null
  status: TaskStatus
  /** A contacts person the task is about; removed if that person is erased. */
  personId: string | null
  completedAt: string | null
  completedBy: string | null
  version: number
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
}

export type TaskFields = Pick<Task, 'title' | 'assignee' | 'dueOn' | 'status' | 'personId'>

// pg returns untyped rows; each is mapped to a typed object below.
type Row = Record<string, any>

const toTask = (r: Row): Task => ({
  id: r.id,
  campaignId: r.campaign_id,
  iso3: r.iso3,
  title: r.title,
  assignee: r.assignee,
  dueOn: r.due_on,
  status: r.status,
  personId: r.person_id,
  completedAt: r.completed_at?.toISOString() ?? null,
  completedBy: r.completed_by,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
})

export interface TaskFilter {
  campaignId?: string
  assignee?: string
  dueBefore?: string
  status?: TaskStatus
  /** Open and past their due date on this day. */
  overdueOn?: string
}

export function createTasksRepository(db: Queryable) {
  return {
    async insert(
      task: Pick<Task, 'id' | 'campaignId' | 'iso3'> & TaskFields,
      actor: string,
      client: Queryable = db,
    ): Promise<Task> {
      const { rows } = await client.query(
        `INSERT INTO tasks (id, campaign_id, iso3, title, assignee, due_on, status, person_id, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *`,
        [task.id, task.campaignId, task.iso3, task.title, task.assignee, task.dueOn, task.status, task.personId, actor],
      )
      return toTask(rows[0])
    },

    async update(id: string, fields: TaskFields, actor: string, client: Queryable = db): Promise<Task> {
      const { rows } = await client.query(
        `UPDATE tasks SET title = $2, assignee = $3, due_on = $4, status = $5, person_id = $6,
                completed_at = CASE WHEN $5 = 'done' AND status <> 'done' THEN now() WHEN $5 <> 'done' THEN NULL
                                    ELSE completed_at END,
                completed_by = CASE WHEN $5 = 'done' AND status <> 'done' THEN $7 WHEN $5 <> 'done' THEN NULL
                                    ELSE completed_by END,
                version = version + 1, updated_at = now(), updated_by = $7
          WHERE id = $1 RETURNING *`,
        [id, fields.title, fields.assignee, fields.dueOn, fields.status, fields.personId, actor],
      )
      return toTask(rows[0])
    },

    async get(id: string, client: Queryable = db): Promise<Task | null> {
      const { rows } = await client.query(`SELECT * FROM tasks WHERE id = $1`, [id])
      return rows[0] ? toTask(rows[0]) : null
    },

    async getForUpdate(id: string, client: Queryable): Promise<Task | null> {
      const { rows } = await client.query(`SELECT * FROM tasks WHERE id = $1 FOR UPDATE`, [id])
      return rows[0] ? toTask(rows[0]) : null
    },

    async list(filter: TaskFilter, page: { limit: number; offset: number }, client: Queryable = db) {
      const clauses: string[] = []
      const values: unknown[] = []
      if (filter.campaignId) clauses.push(`campaign_id = $${values.push(filter.campaignId)}`)
      if (filter.assignee) clauses.push(`assignee = $${values.push(filter.assignee)}`)
      if (filter.dueBefore) clauses.push(`due_on < $${values.push(filter.dueBefore)}`)
      if (filter.status) clauses.push(`status = $${values.push(filter.status)}`)
      if (filter.overdueOn) clauses.push(`status = 'open' AND due_on < $${values.push(filter.overdueOn)}`)
      const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''
      const { rows } = await client.query(
        `SELECT *, count(*) OVER () AS total FROM tasks ${where}
          ORDER BY due_on NULLS LAST, created_at, id LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        [...values, page.limit, page.offset],
      )
      const total =
        rows[0]?.total ??
        (page.offset > 0 ? (await client.query(`SELECT count(*)::int AS n FROM tasks ${where}`, values)).rows[0].n : 0)
      return { items: rows.map(toTask), total }
    },

    /** The task stays, without the person; its audit rows keep what changed and when, with the id replaced. */
    async forgetPerson(personId: string, client: Queryable = db): Promise<string[]> {
      const { rows } = await client.query(`UPDATE tasks SET person_id = NULL WHERE person_id = $1 RETURNING id`, [
        personId,
      ])
      const scrub = (column: string) => `regexp_replace(${column}::text, $1, '[erased person]', 'gi')::jsonb`
      await client.query(
        `UPDATE audit_log SET before = ${scrub('before')}, after = ${scrub('after')}
          WHERE entity_type = 'task' AND (before->>'personId' = $1 OR after->>'personId' = $1)`,
        [personId],
      )
      return rows.map((r) => r.id)
    },
  }
}

export type TasksRepository = ReturnType<typeof createTasksRepository>
