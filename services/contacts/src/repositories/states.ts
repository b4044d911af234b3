import type { Queryable } from '@ccm/db'
import type { TreatyStatus } from '@ccm/events'
import {
  joiningInstruments,
  withdrawalPending,
  type TreatyHistoryKind,
  type TreatyRecord,
} from '../services/treaty-rules.ts'

export interface State extends TreatyRecord {
  iso3: string
  name: string
  unStatus: string
  regionalGroup: string | null
  withdrawalPending: boolean
  version: number
  updatedAt: string
}

export interface TreatyStep {
  id: number
  iso3: string
  kind: TreatyHistoryKind
  date: string
  source: string | null
  fromStatus: TreatyStatus
  toStatus: TreatyStatus
  recordedBy: string
  recordedAt: string
}

const stateColumns = `iso3, name, un_status, regional_group, status, signed_on, deposited_on, how,
  entry_into_force_on, withdrawal_notice_on, withdrawal_effective_on, withdrawal_armed_conflict, version, updated_at`

// pg returns untyped rows; each is mapped to a typed object below.
type Row = Record<string, any>

const toState = (r: Row): State =>
  withPending({
    iso3: r.iso3,
    name: r.name,
    unStatus: r.un_status,
    regionalGroup: r.regional_group,
    status: r.status,
    signedOn: r.signed_on,
    depositedOn: r.deposited_on,
    how: r.how,
    entryIntoForceOn: r.entry_into_force_on,
    withdrawalNoticeOn: r.withdrawal_notice_on,
    withdrawalEffectiveOn: r.withdrawal_effective_on,
    withdrawalArmedConflict: r.withdrawal_armed_conflict,
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  })

function withPending(state: Omit<State, 'withdrawalPending'>): State {
  return { ...state, withdrawalPending: withdrawalPending(state) }
}

const toStep = (r: Row): TreatyStep => ({
  id: r.id,
  iso3: r.iso3,
  kind: r.kind,
  date: r.date,
  source: r.source,
  fromStatus: r.from_status,
  toStatus: r.to_status,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at.toISOString(),
})

export interface Standing {
  status: TreatyStatus
  region: string | null
  /** The instrument a State Party deposited, as named; null for other states. */
  instrument: string | null
  withdrawalPending: boolean
  count: number
}

export interface StateFilter {
  status?: TreatyStatus
  region?: string
  q?: string
}

function where(filter: StateFilter): { sql: string; values: unknown[] } {
  const clauses: string[] = []
  const values: unknown[] = []
  if (filter.status) clauses.push(`status = $${values.push(filter.status)}`)
  if (filter.region) clauses.push(`regional_group = $${values.push(filter.region)}`)
  if (filter.q)
    clauses.push(`unaccent(name) ILIKE '%' || unaccent($${values.push(filter.q.replace(/[\\%_]/g, '\\$&'))}) || '%'`)
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', values }
}

export function createStatesRepository(db: Queryable) {
  /**
   * Each state's standing on `date` as the depositary counts it, grouped: the last step on or before
   * that day (a deposit, a notice, a revocation, a withdrawal taking effect) decides, and a pending
   * withdrawal whose day has come counts as effective even before the sweep records it. A step
   * recorded late or out of order counts on its own date.
   */
  async function standingOn(date: string, client: Queryable = db): Promise<Standing[]> {
    const { rows } = await client.query(
      `WITH last AS (
         SELECT DISTINCT ON (iso3) iso3, kind, to_status FROM treaty_steps
          WHERE date <= $1 ORDER BY iso3, date DESC, id DESC
       ), instrument AS (
         SELECT DISTINCT ON (iso3) iso3, kind FROM treaty_steps
          WHERE date <= $1 AND kind = ANY($2) ORDER BY iso3, date DESC, id DESC
       ), standing AS (
         SELECT s.regional_group AS region, instrument.kind AS instrument, last.kind AS last_kind,
                CASE WHEN s.status = 'state_party' AND last.to_status = 'state_party'
                       AND s.withdrawal_notice_on <= $1 AND s.withdrawal_effective_on <= $1 THEN 'withdrawn'
                     ELSE coalesce(last.to_status, 'not_signed') END AS status
           FROM states s LEFT JOIN last USING (iso3) LEFT JOIN instrument USING (iso3)
       )
       SELECT status, region, CASE WHEN status = 'state_party' THEN instrument END AS instrument,
              status = 'state_party' AND last_kind = 'withdrawal' AS withdrawal_pending, count(*)::int AS count
         FROM standing GROUP BY 1, 2, 3, 4`,
      [date, joiningInstruments],
    )
    return rows.map((r) => ({
      status: r.status,
      region: r.region,
      instrument: r.instrument,
      withdrawalPending: r.withdrawal_pending,
      count: r.count,
    }))
  }

  return {
    standingOn,

    async list(filter: StateFilter, page: { limit: number; offset: number }, client: Queryable = db) {
      const { sql, values } = where(filter)
      const { rows } = await client.query(
        `SELECT ${stateColumns}, count(*) OVER () AS total FROM states ${sql}
          ORDER BY name LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        [...values, page.limit, page.offset],
      )
      const total =
        rows[0]?.total ??
        (page.offset > 0 ? (await client.query(`SELECT count(*) AS n FROM states ${sql}`, values)).rows[0].n : 0)
      return { items: rows.map(toState), total }
    },

    async get(iso3: string, client: Queryable = db): Promise<State | null> {
      const { rows } = await client.query(`SELECT ${stateColumns} FROM states WHERE iso3 = $1`, [iso3])
      return rows[0] ? toState(rows[0]) : null
    },

    /** Locks the state's row until the transaction ends, so two steps for one state apply in turn. */
    async getForUpdate(iso3: string, client: Queryable): Promise<State | null> {
      const { rows } = await client.query(`SELECT ${stateColumns} FROM states WHERE iso3 = $1 FOR UPDATE`, [iso3])
      return rows[0] ? toState(rows[0]) : null
    },

    async updateTreatyRecord(iso3: string, record: TreatyRecord, actor: string, client: Queryable): Promise<State> {
      const { rows } = await client.query(
        `UPDATE states SET status = $2, signed_on = $3, deposited_on = $4, how = $5, entry_into_force_on = $6,
                withdrawal_notice_on = $7, withdrawal_effective_on = $8, withdrawal_armed_conflict = $9,
                version = version + 1, updated_at = now(), updated_by = $10
          WHERE iso3 = $1 RETURNING ${stateColumns}`,
        [
          iso3,
          record.status,
          record.signedOn,
          record.depositedOn,
          record.how,
          record.entryIntoForceOn,
          record.withdrawalNoticeOn,
          record.withdrawalEffectiveOn,
          record.withdrawalArmedConflict,
          actor,
        ],
      )
      return toState(rows[0])
    },

    /** Inserts a state unless it exists; returns it if it was inserted. */
    async insertIfMissing(
      state: Omit<State, 'version' | 'updatedAt' | 'withdrawalPending'>,
      actor: string,
      client: Queryable,
    ): Promise<State | null> {
      const { rows } = await client.query(
        `INSERT INTO states (iso3, name, un_status, regional_group, status, signed_on, deposited_on, how,
                             entry_into_force_on, withdrawal_notice_on, withdrawal_effective_on,
                             withdrawal_armed_conflict, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (iso3) DO NOTHING RETURNING ${stateColumns}`,
        [
          state.iso3,
          state.name,
          state.unStatus,
          state.regionalGroup,
          state.status,
          state.signedOn,
          state.depositedOn,
          state.how,
          state.entryIntoForceOn,
          state.withdrawalNoticeOn,
          state.withdrawalEffectiveOn,
          state.withdrawalArmedConflict,
          actor,
        ],
      )
      return rows[0] ? toState(rows[0]) : null
    },

    async countStatesPartiesOn(date: string, client: Queryable = db): Promise<number> {
      const standing = await standingOn(date, client)
      return standing.reduce((n, s) => n + (s.status === 'state_party' ? s.count : 0), 0)
    },

    /** States Parties whose withdrawal takes effect by `on`, locked; a row another sweep holds is skipped. */
    async withdrawalsDueForUpdate(on: string, client: Queryable): Promise<State[]> {
      const { rows } = await client.query(
        `SELECT ${stateColumns} FROM states WHERE status = 'state_party' AND withdrawal_effective_on <= $1
          ORDER BY withdrawal_effective_on, iso3 FOR UPDATE SKIP LOCKED`,
        [on],
      )
      return rows.map(toState)
    },

    async addStep(step: Omit<TreatyStep, 'id' | 'recordedAt'>, client: Queryable): Promise<TreatyStep> {
      const { rows } = await client.query(
        `INSERT INTO treaty_steps (iso3, kind, date, source, from_status, to_status, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [step.iso3, step.kind, step.date, step.source, step.fromStatus, step.toStatus, step.recordedBy],
      )
      return toStep(rows[0])
    },

    async history(iso3: string, client: Queryable = db): Promise<TreatyStep[]> {
      const { rows } = await client.query(`SELECT * FROM treaty_steps WHERE iso3 = $1 ORDER BY date, id`, [iso3])
      return rows.map(toStep)
    },
  }
}

export type StatesRepository = ReturnType<typeof createStatesRepository>
