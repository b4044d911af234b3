import type { Queryable } from '@ccm/db'

export interface NewMilestone {
  id: string
  kind: 'state_joined' | 'goal_reached'
  campaignId: string
  iso3: string | null
  depositedOn: string | null
  statesPartiesCount: number
  causedByEventId: string
}

export function createMilestonesRepository(db: Queryable) {
  return {
    /**
     * Records a milestone unless it was reached before (same campaign and state instrument, or the campaign's goal).
     */
    async insertIfNew(m: NewMilestone, client: Queryable = db): Promise<boolean> {
      const { rowCount } = await client.query(
        `INSERT INTO milestones (id, kind, campaign_id, iso3, deposited_on, states_parties_count, caused_by_event_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [m.id, m.kind, m.campaignId, m.iso3, m.depositedOn, m.statesPartiesCount, m.causedByEventId],
      )
      return rowCount === 1
    },

    async ofCampaign(campaignId: string, client: Queryable = db) {
      const { rows } = await client.query(
        `SELECT id, kind, iso3, states_parties_count, caused_by_event_id, reached_at FROM milestones
          WHERE campaign_id = $1 ORDER BY reached_at, id`,
        [campaignId],
      )
      return rows.map((r) => ({
        id: r.id as string,
        kind: r.kind as NewMilestone['kind'],
        iso3: r.iso3 as string | null,
        statesPartiesCount: r.states_parties_count as number,
        causedByEventId: r.caused_by_event_id as string,
        reachedAt: (r.reached_at as Date).toISOString(),
      }))
    },
  }
}

export type MilestonesRepository = ReturnType<typeof createMilestonesRepository>
