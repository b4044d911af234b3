import type { Queryable } from '@ccm/db'
import { pipelineStages, type TargetStage } from '../services/stage-rules.ts'

export interface LastContact {
  at: string
  kind: string
  interactionId: string
}

export interface Target {
  campaignId: string
  iso3: string
  /** The state's name, from the read model. */
  name: string
  stage: TargetStage
  initialStage: TargetStage
  stageSince: string
  lastContact: LastContact | null
  addedAt: string
  addedBy: string
  version: number
}

export interface Transition {
  id: number
  from: TargetStage | null
  to: TargetStage
  at: string
  /** The person who moved it, or null when an event did. */
  by: string | null
  causedByEventId: string | null
  reason: string | null
  evidenceInteractionId: string | null
}

export type NewTransition = Omit<Transition, 'id' | 'at'> & { campaignId: string; iso3: string }

/** The move a logged interaction makes, and the event that logged it (see recordContact). */
export interface InteractionMove {
  to: TargetStage
  from: TargetStage[]
  campaignId: string | null
  causedByEventId: string
  reason: string
}

// pg returns untyped rows; each is mapped to a typed object below.
type Row = Record<string, any>

const toTarget = (r: Row): Target => ({
  campaignId: r.campaign_id,
  iso3: r.iso3,
  name: r.name,
  stage: r.stage,
  initialStage: r.initial_stage,
  stageSince: r.stage_since.toISOString(),
  lastContact: r.last_contact_at
    ? { at: r.last_contact_at.toISOString(), kind: r.last_contact_kind, interactionId: r.last_interaction_id }
    : null,
  addedAt: r.added_at.toISOString(),
  addedBy: r.added_by,
  version: r.version,
})

const toTransition = (r: Row): Transition => ({
  id: r.id,
  from: r.from_stage,
  to: r.to_stage,
  at: r.at.toISOString(),
  by: r.by,
  causedByEventId: r.caused_by_event_id,
  reason: r.reason,
  evidenceInteractionId: r.evidence_interaction_id,
})

const selectTargets = `SELECT t.*, s.name FROM targets t JOIN states s USING (iso3)`

/** A target of a campaign still running; `goalPending`: a move could still reach the campaign's goal. */
export type OpenTarget = Target & { goalPending: boolean }
const toOpenTarget = (r: Row): OpenTarget => ({ ...toTarget(r), goalPending: r.goal_pending })

/** An open target a logged interaction concerned: whether the contact was recorded on it, and where it moved it. */
export type ContactedTarget = OpenTarget & { contactRecorded: boolean; movedTo: TargetStage | null }

// The CTE `locked`: the state's ($1) targets in running campaigns, locked in campaign order.
const lockOpenTargetsOfState = `WITH locked AS (
  SELECT t.*, s.name, (c.goal_metric IS NOT NULL AND c.goal_reached_at IS NULL) AS goal_pending
    FROM targets t JOIN states s USING (iso3) JOIN campaigns c ON c.id = t.campaign_id
   WHERE t.iso3 = $1 AND c.status IN ('planned', 'active') ORDER BY t.campaign_id FOR UPDATE OF t
)`
const openCampaign = `t.campaign_id IN (SELECT id FROM campaigns WHERE status IN ('planned', 'active'))`

export function createTargetsRepository(db: Queryable) {
  return {
    /** Adds the target unless the campaign already has it; returns whether it was added. */
    async insertIfMissing(
      campaignId: string,
      iso3: string,
      stage: TargetStage,
      actor: string,
      client: Queryable = db,
    ): Promise<boolean> {
      const { rowCount } = await client.query(
        `INSERT INTO targets (campaign_id, iso3, stage, initial_stage, added_by) VALUES ($1, $2, $3, $3, $4)
         ON CONFLICT DO NOTHING`,
        [campaignId, iso3, stage, actor],
      )
      return rowCount === 1
    },

    async get(campaignId: string, iso3: string, client: Queryable = db): Promise<Target | null> {
      const { rows } = await client.query(`${selectTargets} WHERE t.campaign_id = $1 AND t.iso3 = $2`, [
        campaignId,
        iso3,
      ])
      return rows[0] ? toTarget(rows[0]) : null
    },

    async getForUpdate(campaignId: string, iso3: string, client: Queryable): Promise<Target | null> {
      const { rows } = await client.query(`${selectTargets} WHERE t.campaign_id = $1 AND t.iso3 = $2 FOR UPDATE OF t`, [
        campaignId,
        iso3,
      ])
      return rows[0] ? toTarget(rows[0]) : null
    },

    async list(campaignId: string, filter: { stage?: TargetStage }, client: Queryable = db): Promise<Target[]> {
      const { rows } = await client.query(
        `${selectTargets} WHERE t.campaign_id = $1 AND ($2::text IS NULL OR t.stage = $2) ORDER BY s.name`,
        [campaignId, filter.stage ?? null],
      )
      return rows.map(toTarget)
    },

    /**
     * The targets of one state in campaigns still running, locked, in a fixed order so two writers never
     * deadlock; `goalPending` says whether a move could still reach the campaign's goal.
     */
    async ofStateInOpenCampaignsForUpdate(iso3: string, client: Queryable): Promise<OpenTarget[]> {
      const { rows } = await client.query(`${lockOpenTargetsOfState} SELECT * FROM locked ORDER BY campaign_id`, [iso3])
      return rows.map(toOpenTarget)
    },

    /**
     * What a logged interaction does to the state's targets, in one statement: locks them as above,
     * records the contact on each (except where a later one is already recorded: interactions may be
     * logged out of order), and moves those in one of `move.from` (in `move.campaignId` only, if set)
     * into `move.to`, storing their transitions. One the event has already moved is not moved again.
     * The targets come back as they were before, with what was done to each.
     */
    async recordContact(
      iso3: string,
      contact: LastContact & { people: string[] },
      move: InteractionMove | null,
      client: Queryable,
    ): Promise<ContactedTarget[]> {
      // Named (planned once per connection), as is addTransition: the consumer runs it for every interaction.
      // A row can be changed only once in a statement, so the contact and the move are one UPDATE.
      const { rows } = await client.query({
        name: 'targets-record-contact',
        text: `${lockOpenTargetsOfState}, moved AS (
           INSERT INTO target_transitions (campaign_id, iso3, from_stage, to_stage, caused_by_event_id, reason,
                                           evidence_interaction_id)
           SELECT campaign_id, iso3, stage, $6, $9, $10, $4 FROM locked
            WHERE $6::text IS NOT NULL AND stage = ANY($7::text[]) AND ($8::uuid IS NULL OR campaign_id = $8)
           ON CONFLICT DO NOTHING RETURNING campaign_id, to_stage
         ), changed AS (
           UPDATE targets t SET
             last_contact_at     = CASE WHEN l.newer THEN $2 ELSE t.last_contact_at END,
             last_contact_kind   = CASE WHEN l.newer THEN $3 ELSE t.last_contact_kind END,
             last_interaction_id = CASE WHEN l.newer THEN $4 ELSE t.last_interaction_id END,
             last_contact_people = CASE WHEN l.newer THEN $5 ELSE t.last_contact_people END,
             stage       = coalesce(m.to_stage, t.stage),
             stage_since = CASE WHEN m.to_stage IS NULL THEN t.stage_since ELSE now() END,
             version     = t.version + CASE WHEN m.to_stage IS NULL THEN 0 ELSE 1 END
             FROM (SELECT campaign_id, iso3, (last_contact_at IS NULL OR last_contact_at < $2) AS newer FROM locked) l
             LEFT JOIN moved m USING (campaign_id)
            WHERE t.campaign_id = l.campaign_id AND t.iso3 = l.iso3 AND (l.newer OR m.to_stage IS NOT NULL)
           RETURNING t.campaign_id, l.newer
         )
         SELECT locked.*, coalesce(c.newer, false) AS contact_recorded, m.to_stage AS moved_to
           FROM locked LEFT JOIN changed c USING (campaign_id) LEFT JOIN moved m USING (campaign_id)
          ORDER BY campaign_id`,
        values: [
          iso3,
          contact.at,
          contact.kind,
          contact.interactionId,
          contact.people,
          move?.to ?? null,
          move?.from ?? [],
          move?.campaignId ?? null,
          move?.causedByEventId ?? null,
          move?.reason ?? null,
        ],
      })
      return rows.map((r) => ({ ...toOpenTarget(r), contactRecorded: r.contact_recorded, movedTo: r.moved_to }))
    },

    /** `joined` targets of running campaigns whose state's entry into force has come; skips rows a consumer holds. */
    async joinedNowInForceForUpdate(
      today: string,
      client: Queryable,
    ): Promise<(Target & { entryIntoForceOn: string })[]> {
      const { rows } = await client.query(
        `${selectTargets.replace('s.name', 's.name, s.entry_into_force_on')}
          WHERE t.stage = 'joined' AND s.status = 'state_party' AND s.entry_into_force_on <= $1 AND ${openCampaign}
          ORDER BY t.campaign_id, t.iso3 FOR UPDATE OF t SKIP LOCKED`,
        [today],
      )
      return rows.map((r) => ({ ...toTarget(r), entryIntoForceOn: r.entry_into_force_on }))
    },

    /**
     * Moves the target and stores the transition in one statement; returns null (changing nothing) if
     * the event that causes it already moved this target into that stage.
     */
    async addTransition(t: NewTransition, client: Queryable = db): Promise<Transition | null> {
      const { rows } = await client.query({
        name: 'targets-add-transition',
        text: `WITH moved AS (
           INSERT INTO target_transitions (campaign_id, iso3, from_stage, to_stage, by, caused_by_event_id, reason,
                                           evidence_interaction_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING *
         ), target AS (
           UPDATE targets SET stage = moved.to_stage, stage_since = now(), version = version + 1
             FROM moved
            WHERE targets.campaign_id = moved.campaign_id AND targets.iso3 = moved.iso3 AND moved.from_stage IS NOT NULL
         )
         SELECT * FROM moved`,
        values: [t.campaignId, t.iso3, t.from, t.to, t.by, t.causedByEventId, t.reason, t.evidenceInteractionId],
      })
      return rows[0] ? toTransition(rows[0]) : null
    },

    async transitions(campaignId: string, iso3: string, client: Queryable = db): Promise<Transition[]> {
      const { rows } = await client.query(
        `SELECT * FROM target_transitions WHERE campaign_id = $1 AND iso3 = $2 ORDER BY at, id`,
        [campaignId, iso3],
      )
      return rows.map(toTransition)
    },

    /** Targets the campaign moved to `metric` or beyond (those it started there with do not count). */
    async countAchieved(campaignId: string, metric: TargetStage, client: Queryable = db): Promise<number> {
      const reached = pipelineStages.slice(pipelineStages.indexOf(metric as (typeof pipelineStages)[number]))
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM targets
          WHERE campaign_id = $1 AND stage = ANY($2) AND NOT (initial_stage = ANY($2))`,
        [campaignId, reached],
      )
      return rows[0].n
    },

    /** Removes a contacts person's id from every last contact that names it; returns the targets changed. */
    async forgetPerson(personId: string, client: Queryable = db): Promise<{ campaignId: string; iso3: string }[]> {
      const { rows } = await client.query(
        `UPDATE targets SET last_contact_people = array_remove(last_contact_people, $1)
          WHERE $1 = ANY(last_contact_people) RETURNING campaign_id, iso3`,
        [personId],
      )
      return rows.map((r) => ({ campaignId: r.campaign_id, iso3: r.iso3 }))
    },
  }
}

export type TargetsRepository = ReturnType<typeof createTargetsRepository>
