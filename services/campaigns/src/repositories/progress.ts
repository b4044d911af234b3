import type { Queryable } from '@ccm/db'
import { pipelineStages, type TargetStage } from '../services/stage-rules.ts'

export interface StaleTarget {
  iso3: string
  name: string
  stage: TargetStage
  lastContactAt: string | null
  daysWithoutContact: number
}

/** Read-only figures over one campaign's targets and their transitions. */
export function createProgressRepository(db: Queryable) {
  return {
    async countByStage(campaignId: string, client: Queryable = db): Promise<{ stage: TargetStage; count: number }[]> {
      const { rows } = await client.query(
        `SELECT stage, count(*)::int AS count FROM targets WHERE campaign_id = $1 GROUP BY stage`,
        [campaignId],
      )
      return rows
    },

    /**
     * For each pipeline stage, how many targets were ever in it: from the stage they were added in up to
     * the furthest they reached (a target added as `joined` never passed through the earlier stages).
     */
    async enteredPerStage(campaignId: string, client: Queryable = db): Promise<number[]> {
      const { rows } = await client.query(
        `SELECT array_position($2::text[], t.initial_stage) AS first,
                max(array_position($2::text[], tr.to_stage)) AS furthest
           FROM targets t JOIN target_transitions tr USING (campaign_id, iso3)
          WHERE t.campaign_id = $1 GROUP BY t.iso3, t.initial_stage`,
        [campaignId, pipelineStages],
      )
      return pipelineStages.map(
        (_, i) => rows.filter((r) => r.first !== null && r.first <= i + 1 && r.furthest >= i + 1).length,
      )
    },

    /** The median days spent in each stage; a stay still going on counts up to now. */
    async medianDaysPerStage(
      campaignId: string,
      client: Queryable = db,
    ): Promise<{ stage: TargetStage; medianDays: number; stays: number }[]> {
      const { rows } = await client.query(
        `WITH stays AS (
           SELECT to_stage AS stage, extract(epoch FROM coalesce(lead(at) OVER w, now()) - at) / 86400 AS days
             FROM target_transitions WHERE campaign_id = $1
           WINDOW w AS (PARTITION BY iso3 ORDER BY at, id)
         )
         SELECT stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median_days, count(*)::int AS stays
           FROM stays GROUP BY stage`,
        [campaignId],
      )
      return rows.map((r) => ({
        stage: r.stage,
        medianDays: Math.round(Number(r.median_days) * 10) / 10,
        stays: r.stays,
      }))
    },

    /** Targets still being worked on with no contact (or, never contacted, no addition) for `days` days. */
    async staleTargets(campaignId: string, days: number, client: Queryable = db): Promise<StaleTarget[]> {
      const { rows } = await client.query(
        `SELECT t.iso3, s.name, t.stage, t.last_contact_at,
                floor(extract(epoch FROM now() - coalesce(t.last_contact_at, t.added_at)) / 86400)::int
                  AS days_without_contact
           FROM targets t JOIN states s USING (iso3)
          WHERE t.campaign_id = $1 AND t.stage NOT IN ('joined', 'in_force', 'declined')
            AND coalesce(t.last_contact_at, t.added_at) < now() - make_interval(days => $2)
          ORDER BY days_without_contact DESC, s.name`,
        [campaignId, days],
      )
      return rows.map((r) => ({
        iso3: r.iso3,
        name: r.name,
        stage: r.stage,
        lastContactAt: r.last_contact_at?.toISOString() ?? null,
        daysWithoutContact: r.days_without_contact,
      }))
    },
  }
}

export type ProgressRepository = ReturnType<typeof createProgressRepository>
