import type { Queryable } from '@ccm/db'
import type { EventData } from '@ccm/events'
import { isoOrNull, whereBuilder, type Row } from './rows.ts'

export type InteractionKind = EventData<'contacts.interaction.logged'>['kind']

// A type, not an interface, so that it is a record of fields to changedFields (interfaces have no index signature).
export type InteractionFields = {
  kind: InteractionKind
  occurredAt: string
  summary: string
  notes: string | null
  states: string[]
  organizations: string[]
  people: string[]
  campaignId: string | null
  confidentiality: 'normal' | 'restricted'
}

export interface FollowUp {
  id: string
  interactionId: string
  dueOn: string
  assignee: string
  done: boolean
  overdue: boolean
  completedAt: string | null
  completedBy: string | null
}

export interface Interaction extends InteractionFields {
  id: string
  erasedParticipants: number
  author: string
  followUp: FollowUp | null
  version: number
  createdAt: string
  updatedAt: string
}

export interface InteractionFilter {
  state?: string
  organizationId?: string
  personId?: string
  campaignId?: string
  kind?: string
  from?: string
  to?: string
}

export interface FollowUpFilter {
  assignee?: string
  dueBefore?: string
  status: 'open' | 'overdue' | 'done' | 'all'
}

const followUpColumns = `f.id, f.interaction_id, f.due_on, f.assignee, f.done, f.completed_at, f.completed_by,
  (NOT f.done AND f.due_on < current_date) AS overdue`

const toFollowUp = (r: Row): FollowUp => ({
  id: r.id,
  interactionId: r.interaction_id,
  dueOn: r.due_on,
  assignee: r.assignee,
  done: r.done,
  overdue: r.overdue,
  completedAt: typeof r.completed_at === 'string' ? r.completed_at : isoOrNull(r.completed_at),
  completedBy: r.completed_by,
})

const columns = `i.id, i.kind, i.occurred_at, i.summary, i.notes, i.campaign_id, i.confidentiality, i.author,
  i.erased_participants, i.version, i.created_at, i.updated_at,
  ARRAY(SELECT s.iso3 FROM interaction_states s WHERE s.interaction_id = i.id ORDER BY s.iso3) AS states,
  ARRAY(SELECT o.organization_id FROM interaction_organizations o WHERE o.interaction_id = i.id
         ORDER BY o.organization_id) AS organizations,
  ARRAY(SELECT p.person_id FROM interaction_people p WHERE p.interaction_id = i.id ORDER BY p.person_id) AS people,
  (SELECT row_to_json(x) FROM (SELECT ${followUpColumns} FROM follow_ups f WHERE f.interaction_id = i.id) x)
    AS follow_up`

const toInteraction = (r: Row): Interaction => ({
  id: r.id,
  kind: r.kind,
  occurredAt: r.occurred_at.toISOString(),
  summary: r.summary,
  notes: r.notes,
  states: r.states.map((s: string) => s.trim()),
  organizations: r.organizations,
  people: r.people,
  campaignId: r.campaign_id,
  confidentiality: r.confidentiality,
  erasedParticipants: r.erased_participants,
  author: r.author,
  followUp: r.follow_up
    ? toFollowUp({
        ...r.follow_up,
        completed_at: r.follow_up.completed_at && new Date(r.follow_up.completed_at).toISOString(),
      })
    : null,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
})

/** The interaction's own columns, in the order insert and update name them ($2 to $7). */
const storedFields = (f: InteractionFields) => [
  f.kind,
  f.occurredAt,
  f.summary,
  f.notes,
  f.campaignId,
  f.confidentiality,
]

/** CTEs linking interaction `id` to its states, organisations and people (the parameters' arrays). */
const insertLinks = (id: string, states: string, organizations: string, people: string) => `
  s AS (INSERT INTO interaction_states (interaction_id, iso3) SELECT ${id}, unnest(${states}::text[])),
  o AS (INSERT INTO interaction_organizations (interaction_id, organization_id)
        SELECT ${id}, unnest(${organizations}::uuid[])),
  p AS (INSERT INTO interaction_people (interaction_id, person_id) SELECT ${id}, unnest(${people}::uuid[]))`

/** What an interaction names that does not exist: states, organisations, and people who are not live records. */
export type MissingReferences = Pick<InteractionFields, 'states' | 'organizations' | 'people'>

const missingReferences = `SELECT
  (SELECT array_agg(c) FROM unnest($1::text[]) c
    WHERE NOT EXISTS (SELECT 1 FROM states s WHERE s.iso3 = c)) AS states,
  (SELECT array_agg(o) FROM unnest($2::uuid[]) o
    WHERE NOT EXISTS (SELECT 1 FROM organizations x WHERE x.id = o)) AS organizations,
  (SELECT array_agg(p) FROM unnest($3::uuid[]) p
    WHERE NOT EXISTS (SELECT 1 FROM people x WHERE x.id = p AND x.merged_into IS NULL)) AS people`

export function createInteractionsRepository(db: Queryable) {
  /** An interaction's states, organisations and people, replaced as a whole: one round trip to clear, one to write. */
  async function replaceLinks(
    id: string,
    fields: Pick<InteractionFields, 'states' | 'organizations' | 'people'>,
    client: Queryable,
  ) {
    await client.query(
      `WITH s AS (DELETE FROM interaction_states WHERE interaction_id = $1),
            o AS (DELETE FROM interaction_organizations WHERE interaction_id = $1)
       DELETE FROM interaction_people WHERE interaction_id = $1`,
      [id],
    )
    await client.query(`WITH ${insertLinks('$1::uuid', '$2', '$3', '$4')} SELECT 1`, [
      id,
      fields.states,
      fields.organizations,
      fields.people,
    ])
  }

  return {
    /**
     * The references that do not exist, in one statement; people merged away or erased count as missing.
     * Sent as soon as it is called, so it can be pipelined ahead of the insert it guards.
     */
    async missingReferences(refs: MissingReferences, client: Queryable = db): Promise<MissingReferences> {
      const { rows } = await client.query({
        name: 'interactions-missing-references',
        text: missingReferences,
        values: [refs.states, refs.organizations, refs.people],
      })
      const r: Row = rows[0]
      return {
        states: (r.states ?? []).map((s: string) => s.trim()),
        organizations: r.organizations ?? [],
        people: r.people ?? [],
      }
    },

    async list(filter: InteractionFilter, page: { limit: number; offset: number }, client: Queryable = db) {
      const w = whereBuilder()
      if (filter.state)
        w.add(
          `EXISTS (SELECT 1 FROM interaction_states s
                    WHERE s.interaction_id = i.id AND s.iso3 = ${w.param(filter.state)})`,
        )
      if (filter.organizationId)
        w.add(
          `EXISTS (SELECT 1 FROM interaction_organizations o
                    WHERE o.interaction_id = i.id AND o.organization_id = ${w.param(filter.organizationId)})`,
        )
      if (filter.personId)
        w.add(
          `EXISTS (SELECT 1 FROM interaction_people p
                    WHERE p.interaction_id = i.id AND p.person_id = ${w.param(filter.personId)})`,
        )
      if (filter.campaignId) w.add(`i.campaign_id = ${w.param(filter.campaignId)}`)
      if (filter.kind) w.add(`i.kind = ${w.param(filter.kind)}`)
      if (filter.from) w.add(`i.occurred_at >= ${w.param(filter.from)}`)
      if (filter.to) w.add(`i.occurred_at < ${w.param(filter.to)}`)
      const { rows } = await client.query(
        `SELECT ${columns}, count(*) OVER () AS total FROM interactions i ${w.sql}
          ORDER BY i.occurred_at DESC, i.id LIMIT ${w.param(page.limit)} OFFSET ${w.param(page.offset)}`,
        w.values,
      )
      return { items: rows.map(toInteraction), total: rows[0]?.total ?? 0 }
    },

    async get(id: string, client: Queryable = db): Promise<Interaction | null> {
      const { rows } = await client.query({
        name: 'interactions-get',
        text: `SELECT ${columns} FROM interactions i WHERE i.id = $1`,
        values: [id],
      })
      return rows[0] ? toInteraction(rows[0]) : null
    },

    async getForUpdate(id: string, client: Queryable): Promise<Interaction | null> {
      await client.query(`SELECT 1 FROM interactions WHERE id = $1 FOR UPDATE`, [id])
      return this.get(id, client)
    },

    /**
     * The interaction (its id chosen by the caller, so statements sent with this one can name it) and its links, in one
     * statement.
     */
    async insert(id: string, fields: InteractionFields, author: string, client: Queryable): Promise<void> {
      await client.query({
        name: 'interactions-insert', // planned once per connection, as is get: every interaction logged runs both
        text: `WITH i AS (
           INSERT INTO interactions
                  (id, kind, occurred_at, summary, notes, campaign_id, confidentiality, author, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id
         ), ${insertLinks('(SELECT id FROM i)', '$9', '$10', '$11')}
         SELECT id FROM i`,
        values: [id, ...storedFields(fields), author, fields.states, fields.organizations, fields.people],
      })
    },

    async update(id: string, fields: InteractionFields, actor: string, client: Queryable): Promise<void> {
      await client.query(
        `UPDATE interactions
            SET kind = $2, occurred_at = $3, summary = $4, notes = $5, campaign_id = $6, confidentiality = $7,
                version = version + 1, updated_at = now(), updated_by = $8
          WHERE id = $1`,
        [id, ...storedFields(fields), actor],
      )
      await replaceLinks(id, fields, client)
    },

    async bumpVersion(id: string, actor: string, client: Queryable): Promise<void> {
      await client.query(
        `UPDATE interactions SET version = version + 1, updated_at = now(), updated_by = $2 WHERE id = $1`,
        [id, actor],
      )
    },

    async insertFollowUp(
      interactionId: string,
      f: { dueOn: string; assignee: string; done: boolean },
      actor: string,
      client: Queryable,
    ): Promise<FollowUp> {
      const { rows } = await client.query(
        `INSERT INTO follow_ups AS f (interaction_id, due_on, assignee, done, completed_at, completed_by)
         VALUES ($1, $2, $3, $4, CASE WHEN $4 THEN now() END, CASE WHEN $4 THEN $5 END) RETURNING ${followUpColumns}`,
        [interactionId, f.dueOn, f.assignee, f.done, actor],
      )
      return toFollowUp(rows[0])
    },

    async updateFollowUp(
      id: string,
      f: { dueOn: string; assignee: string; done: boolean },
      actor: string,
      client: Queryable,
    ): Promise<FollowUp> {
      const { rows } = await client.query(
        `UPDATE follow_ups f SET due_on = $2, assignee = $3, done = $4,
                completed_at = CASE WHEN $4 AND NOT f.done THEN now() WHEN $4 THEN f.completed_at END,
                completed_by = CASE WHEN $4 AND NOT f.done THEN $5 WHEN $4 THEN f.completed_by END
          WHERE id = $1 RETURNING ${followUpColumns}`,
        [id, f.dueOn, f.assignee, f.done, actor],
      )
      return toFollowUp(rows[0])
    },

    async listFollowUps(filter: FollowUpFilter, page: { limit: number; offset: number }, client: Queryable = db) {
      const w = whereBuilder()
      if (filter.status === 'open') w.add('NOT f.done')
      if (filter.status === 'overdue') w.add('NOT f.done AND f.due_on < current_date')
      if (filter.status === 'done') w.add('f.done')
      if (filter.assignee) w.add(`f.assignee = ${w.param(filter.assignee)}`)
      if (filter.dueBefore) w.add(`f.due_on <= ${w.param(filter.dueBefore)}`)
      const { rows } = await client.query(
        `SELECT ${followUpColumns}, count(*) OVER () AS total FROM follow_ups f ${w.sql}
          ORDER BY f.due_on, f.id LIMIT ${w.param(page.limit)} OFFSET ${w.param(page.offset)}`,
        w.values,
      )
      return { items: rows.map(toFollowUp), total: rows[0]?.total ?? 0 }
    },
  }
}

export type InteractionsRepository = ReturnType<typeof createInteractionsRepository>
