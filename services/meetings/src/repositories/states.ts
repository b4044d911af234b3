import type { Queryable } from '@ccm/db'
import type { EventData } from '@ccm/events'

/** A state as contacts last published it. */
export type StateSnapshot = EventData<'contacts.state.registered'>

/** What the read model says of a state on one day: enough to decide its capacity at a meeting held then. */
export interface StateOnDay {
  iso3: string
  name: string
  regionalGroup: string | null
  signedOn: string | null
  /** An instrument deposited on or before the day, and no withdrawal effective by then. */
  partyOnDay: boolean
  /** A withdrawal took effect on or before the day (and no later instrument makes it a party again). */
  withdrewBefore: boolean
}

export function createStatesRepository(db: Queryable) {
  return {
    /**
     * Takes the snapshot as the state's record, unless the record comes from a later event, and keeps its membership
     * period (as campaigns does).
     */
    async upsert(state: StateSnapshot, source: { id: string; time: string }, client: Queryable = db): Promise<void> {
      await client.query(
        `INSERT INTO states (iso3, name, status, un_status, regional_group, signed_on, deposited_on, how,
                             entry_into_force_on, withdrawal_notice_on, withdrawal_effective_on, source_event_id,
                             source_event_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (iso3) DO UPDATE SET name = excluded.name, status = excluded.status,
           un_status = excluded.un_status, regional_group = excluded.regional_group, signed_on = excluded.signed_on,
           deposited_on = excluded.deposited_on, how = excluded.how, entry_into_force_on = excluded.entry_into_force_on,
           withdrawal_notice_on = excluded.withdrawal_notice_on,
           withdrawal_effective_on = excluded.withdrawal_effective_on, source_event_id = excluded.source_event_id,
           source_event_at = excluded.source_event_at, updated_at = now()
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
             SET withdrawal_effective_on =
                   coalesce(excluded.withdrawal_effective_on, memberships.withdrawal_effective_on)`,
          [state.iso3, state.depositedOn, state.status === 'withdrawn' ? state.withdrawalEffectiveOn : null],
        )
      }
    },

    /** The state as it stood on `day`, from its membership periods; null if contacts has not published it. */
    async onDay(iso3: string, day: string, client: Queryable = db): Promise<StateOnDay | null> {
      const { rows } = await client.query(
        `SELECT s.iso3, s.name, s.regional_group, s.signed_on,
                EXISTS (SELECT 1 FROM memberships m WHERE m.iso3 = s.iso3 AND m.deposited_on <= $2
                           AND (m.withdrawal_effective_on IS NULL OR m.withdrawal_effective_on > $2)) AS party_on_day,
                EXISTS (SELECT 1 FROM memberships m WHERE m.iso3 = s.iso3 AND m.withdrawal_effective_on <= $2)
                  AS withdrew_before
           FROM states s WHERE s.iso3 = $1`,
        [iso3, day],
      )
      const r = rows[0]
      return r
        ? {
            iso3: r.iso3,
            name: r.name,
            regionalGroup: r.regional_group,
            signedOn: r.signed_on,
            partyOnDay: r.party_on_day,
            withdrewBefore: r.withdrew_before,
          }
        : null
    },

    async regionOf(iso3: string, client: Queryable = db): Promise<string | null> {
      const { rows } = await client.query(`SELECT regional_group FROM states WHERE iso3 = $1`, [iso3])
      return rows[0]?.regional_group ?? null
    },
  }
}

export type StatesRepository = ReturnType<typeof createStatesRepository>
