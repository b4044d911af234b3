import type { Queryable } from '@ccm/db'
import type { EventData } from '@ccm/events'

/** A state as contacts last published it. */
export type StateSnapshot = EventData<'contacts.state.registered'>

export interface State extends StateSnapshot {
  sourceEventId: string
  updatedAt: string
}

// pg returns untyped rows; each is mapped to a typed object below.
type Row = Record<string, any>

const toState = (r: Row): State => ({
  iso3: r.iso3,
  name: r.name,
  status: r.status,
  unStatus: r.un_status,
  regionalGroup: r.regional_group,
  signedOn: r.signed_on,
  depositedOn: r.deposited_on,
  how: r.how,
  entryIntoForceOn: r.entry_into_force_on,
  withdrawalNoticeOn: r.withdrawal_notice_on,
  withdrawalEffectiveOn: r.withdrawal_effective_on,
  sourceEventId: r.source_event_id,
  updatedAt: r.updated_at.toISOString(),
})

export interface StateFilter {
  status?: string
  region?: string
}

export function createStatesRepository(db: Queryable) {
  return {
    /**
     * Takes the snapshot as the state's record, unless the record comes from a later event, and keeps its membership
     * period.
     */
    async upsert(state: StateSnapshot, source: { id: string; time: string }, client: Queryable = db): Promise<void> {
      await client.query(
        `INSERT INTO states (iso3, name, status, un_status, regional_group, signed_on, deposited_on, how,
                             entry_into_force_on, withdrawal_notice_on, withdrawal_effective_on, source_event_id,
                             source_event_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (iso3) DO UPDATE
           SET name = excluded.name, status = excluded.status, un_status = excluded.un_status,
           regional_group = excluded.regional_group, signed_on = excluded.signed_on,
           deposited_on = excluded.deposited_on, how = excluded.how, entry_into_force_on = excluded.entry_into_force_on,
           withdrawal_notice_on = excluded.withdrawal_notice_on,
           withdrawal_effective_on = excluded.withdrawal_effective_on,
           source_event_id = excluded.source_event_id, source_event_at = excluded.source_event_at, updated_at = now()
         WHERE states.source_event_at <= excluded.source_event_at`,
        [
          state.iso3,
          state.name,
          state.status,
          state.unStatus,
          state.regionalGroup,
          state.signedOn,
          state.depositedOn,
          state.how,
          state.entryIntoForceOn,
          state.withdrawalNoticeOn,
          state.withdrawalEffectiveOn,
          source.id,
          source.time,
        ],
      )
      if (state.depositedOn && (state.status === 'state_party' || state.status === 'withdrawn')) {
        // A period once ended stays ended, whatever order snapshots arrive in.
        await client.query(
          `INSERT INTO memberships (iso3, deposited_on, withdrawal_effective_on) VALUES ($1, $2, $3)
           ON CONFLICT (iso3, deposited_on) DO UPDATE
             SET withdrawal_effective_on = coalesce(excluded.withdrawal_effective_on,
                                                    memberships.withdrawal_effective_on)`,
          [state.iso3, state.depositedOn, state.status === 'withdrawn' ? state.withdrawalEffectiveOn : null],
        )
      }
    },

    async get(iso3: string, client: Queryable = db): Promise<State | null> {
      const { rows } = await client.query(`SELECT * FROM states WHERE iso3 = $1`, [iso3])
      return rows[0] ? toState(rows[0]) : null
    },

    async getMany(iso3s: string[], client: Queryable = db): Promise<State[]> {
      const { rows } = await client.query(`SELECT * FROM states WHERE iso3 = ANY($1) ORDER BY name`, [iso3s])
      return rows.map(toState)
    },

    async list(filter: StateFilter, client: Queryable = db): Promise<State[]> {
      const clauses: string[] = []
      const values: unknown[] = []
      if (filter.status) clauses.push(`status = $${values.push(filter.status)}`)
      if (filter.region) clauses.push(`regional_group = $${values.push(filter.region)}`)
      const { rows } = await client.query(
        `SELECT * FROM states ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY name`,
        values,
      )
      return rows.map(toState)
    },

    /** States that are or were parties: the ones Article 7 reports are owed by. */
    async reporting(iso3?: string, client: Queryable = db): Promise<State[]> {
      const { rows } = await client.query(
        `SELECT * FROM states WHERE status IN ('state_party', 'withdrawn') AND entry_into_force_on IS NOT NULL
            AND ($1::text IS NULL OR iso3 = $1) ORDER BY name`,
        [iso3 ?? null],
      )
      return rows.map(toState)
    },

    async countStatesParties(client: Queryable = db): Promise<number> {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM states WHERE status = 'state_party'`)
      return rows[0].n
    },

    async countByStatusAndRegion(
      client: Queryable = db,
    ): Promise<{ status: string; region: string | null; count: number }[]> {
      const { rows } = await client.query(
        `SELECT status, regional_group AS region, count(*)::int AS count FROM states GROUP BY 1, 2`,
      )
      return rows
    },

    /**
     * Deposits per year, every membership counted (a state that withdrew and joined again, twice), and withdrawals per
     * year they took effect.
     */
    async joinsAndWithdrawalsByYear(
      client: Queryable = db,
    ): Promise<{ year: number; joined: number; withdrew: number }[]> {
      const { rows } = await client.query(
        `WITH moves AS (
           SELECT extract(year FROM deposited_on)::int AS year, 1 AS joined, 0 AS withdrew FROM memberships
           UNION ALL
           SELECT extract(year FROM withdrawal_effective_on)::int, 0, 1 FROM memberships
            WHERE withdrawal_effective_on IS NOT NULL
         )
         SELECT year, sum(joined)::int AS joined, sum(withdrew)::int AS withdrew
           FROM moves GROUP BY year ORDER BY year`,
      )
      return rows
    },
  }
}

export type StatesRepository = ReturnType<typeof createStatesRepository>
