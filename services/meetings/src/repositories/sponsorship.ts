import type { Queryable } from '@ccm/db'
import { sponsorshipDecisions } from '@ccm/events'

export { sponsorshipDecisions }
export const applicationStatuses = ['pending', ...sponsorshipDecisions] as const
export type ApplicationStatus = (typeof applicationStatuses)[number]

export interface Budget {
  meetingId: string
  amountMinor: number
  currency: string
  donors: string[]
  version: number
  updatedAt: string
  updatedBy: string
}

/** What is booked for an approved delegate, in the budget's minor units. */
export interface Costs {
  travelBooked: boolean
  travelCostMinor: number
  accommodationCostMinor: number
  dsaDays: number
  dsaRateMinor: number
  visaLetterIssued: boolean
  attendanceConfirmed: boolean
  reportReceivedOn: string | null
}

export interface Application extends Costs {
  id: string
  meetingId: string
  personId: string | null
  personName: string | null
  iso3: string
  function: string
  motivation: string | null
  status: ApplicationStatus
  decisionReason: string | null
  decidedBy: string | null
  decidedAt: string | null
  budgetOverrideReason: string | null
  budgetOverrideBy: string | null
  version: number
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
}

/** What the Programme has committed (approved delegates' costs) and spent (theirs whose attendance is confirmed). */
export interface Totals {
  committedMinor: number
  spentMinor: number
}

// pg's rows are untyped; each is mapped to its typed record here, at the SQL boundary.
type Row = Record<string, any>

const toBudget = (r: Row): Budget => ({
  meetingId: r.meeting_id,
  amountMinor: r.amount_minor,
  currency: r.currency,
  donors: r.donors,
  version: r.version,
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
})

const toApplication = (r: Row): Application => ({
  id: r.id,
  meetingId: r.meeting_id,
  personId: r.person_id,
  personName: r.person_name,
  iso3: r.iso3,
  function: r.function,
  motivation: r.motivation,
  status: r.status,
  decisionReason: r.decision_reason,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.toISOString() ?? null,
  travelBooked: r.travel_booked,
  travelCostMinor: r.travel_cost_minor,
  accommodationCostMinor: r.accommodation_cost_minor,
  dsaDays: r.dsa_days,
  dsaRateMinor: r.dsa_rate_minor,
  visaLetterIssued: r.visa_letter_issued,
  attendanceConfirmed: r.attendance_confirmed,
  reportReceivedOn: r.report_received_on,
  budgetOverrideReason: r.budget_override_reason,
  budgetOverrideBy: r.budget_override_by,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
})

/** An application's cost, in SQL: travel, accommodation and the daily subsistence allowance (days × rate). */
const costOf = (t = '') => `(${t}travel_cost_minor + ${t}accommodation_cost_minor + ${t}dsa_days * ${t}dsa_rate_minor)`
const cost = costOf()

export type NewApplication = Pick<Application, 'id' | 'meetingId' | 'personId' | 'personName' | 'iso3' | 'function'> & {
  motivation: string
}

export function createSponsorshipRepository(db: Queryable) {
  return {
    async budget(meetingId: string, client: Queryable = db): Promise<Budget | null> {
      const { rows } = await client.query(`SELECT * FROM sponsorship_budgets WHERE meeting_id = $1`, [meetingId])
      return rows[0] ? toBudget(rows[0]) : null
    },

    /** The budget row locked: every change to committed money takes it first, so two never overrun it together. */
    async budgetForUpdate(meetingId: string, client: Queryable): Promise<Budget | null> {
      const { rows } = await client.query(`SELECT * FROM sponsorship_budgets WHERE meeting_id = $1 FOR UPDATE`, [
        meetingId,
      ])
      return rows[0] ? toBudget(rows[0]) : null
    },

    async putBudget(
      budget: Pick<Budget, 'meetingId' | 'amountMinor' | 'currency' | 'donors'>,
      actor: string,
      client: Queryable,
    ): Promise<Budget> {
      const { rows } = await client.query(
        `INSERT INTO sponsorship_budgets (meeting_id, amount_minor, currency, donors, updated_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (meeting_id) DO UPDATE SET amount_minor = excluded.amount_minor, currency = excluded.currency,
           donors = excluded.donors, version = sponsorship_budgets.version + 1, updated_at = now(),
           updated_by = excluded.updated_by
         RETURNING *`,
        [budget.meetingId, budget.amountMinor, budget.currency, budget.donors, actor],
      )
      return toBudget(rows[0])
    },

    async insert(application: NewApplication, actor: string, client: Queryable): Promise<Application> {
      const a = application
      const { rows } = await client.query(
        `INSERT INTO sponsorship_applications (id, meeting_id, person_id, person_name, iso3, function, motivation,
                                               created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING *`,
        [a.id, a.meetingId, a.personId, a.personName, a.iso3, a.function, a.motivation, actor],
      )
      return toApplication(rows[0])
    },

    async get(meetingId: string, id: string, client: Queryable = db): Promise<Application | null> {
      const { rows } = await client.query(`SELECT * FROM sponsorship_applications WHERE meeting_id = $1 AND id = $2`, [
        meetingId,
        id,
      ])
      return rows[0] ? toApplication(rows[0]) : null
    },

    async getForUpdate(meetingId: string, id: string, client: Queryable): Promise<Application | null> {
      const { rows } = await client.query(
        `SELECT * FROM sponsorship_applications WHERE meeting_id = $1 AND id = $2 FOR UPDATE`,
        [meetingId, id],
      )
      return rows[0] ? toApplication(rows[0]) : null
    },

    async ofMeeting(meetingId: string, client: Queryable = db): Promise<Application[]> {
      const { rows } = await client.query(
        `SELECT * FROM sponsorship_applications WHERE meeting_id = $1 ORDER BY created_at, id`,
        [meetingId],
      )
      return rows.map(toApplication)
    },

    async decide(
      id: string,
      decision: { status: ApplicationStatus; reason: string; override: { reason: string; by: string } | null },
      actor: string,
      client: Queryable,
    ): Promise<Application> {
      const { rows } = await client.query(
        `UPDATE sponsorship_applications SET status = $2, decision_reason = $3, decided_by = $4, decided_at = now(),
                budget_override_reason = coalesce($5, budget_override_reason),
                budget_override_by = coalesce($6, budget_override_by),
                version = version + 1, updated_at = now(), updated_by = $4
          WHERE id = $1 RETURNING *`,
        [id, decision.status, decision.reason, actor, decision.override?.reason ?? null, decision.override?.by ?? null],
      )
      return toApplication(rows[0])
    },

    async setCosts(
      id: string,
      costs: Costs,
      override: { reason: string; by: string } | null,
      actor: string,
      client: Queryable,
    ): Promise<Application> {
      const { rows } = await client.query(
        `UPDATE sponsorship_applications SET travel_booked = $2, travel_cost_minor = $3, accommodation_cost_minor = $4,
                dsa_days = $5, dsa_rate_minor = $6, visa_letter_issued = $7, attendance_confirmed = $8,
                report_received_on = $9, budget_override_reason = coalesce($10, budget_override_reason),
                budget_override_by = coalesce($11, budget_override_by),
                version = version + 1, updated_at = now(), updated_by = $12
          WHERE id = $1 RETURNING *`,
        [
          id,
          costs.travelBooked,
          costs.travelCostMinor,
          costs.accommodationCostMinor,
          costs.dsaDays,
          costs.dsaRateMinor,
          costs.visaLetterIssued,
          costs.attendanceConfirmed,
          costs.reportReceivedOn,
          override?.reason ?? null,
          override?.by ?? null,
          actor,
        ],
      )
      return toApplication(rows[0])
    },

    /** Committed and spent, leaving out one application (whose new figures the caller adds). */
    async totals(meetingId: string, exceptId: string | null, client: Queryable = db): Promise<Totals> {
      const { rows } = await client.query(
        `SELECT coalesce(sum(${cost}), 0)::bigint AS committed,
                coalesce(sum(${cost}) FILTER (WHERE attendance_confirmed), 0)::bigint AS spent
           FROM sponsorship_applications
          WHERE meeting_id = $1 AND status = 'approved' AND id IS DISTINCT FROM $2`,
        [meetingId, exceptId],
      )
      return { committedMinor: rows[0].committed, spentMinor: rows[0].spent }
    },

    /** Applications and money by UN regional group of the applicant's state (null: a state of no group). */
    async byRegion(meetingId: string, client: Queryable = db) {
      const { rows } = await client.query(
        `SELECT s.regional_group AS region, count(*)::int AS applications,
                count(*) FILTER (WHERE a.status = 'approved')::int AS approved,
                coalesce(sum(${costOf('a.')}) FILTER (WHERE a.status = 'approved'), 0)::bigint
                  AS committed,
                coalesce(sum(${costOf('a.')})
                  FILTER (WHERE a.status = 'approved' AND a.attendance_confirmed), 0)::bigint AS spent
           FROM sponsorship_applications a LEFT JOIN states s ON s.iso3 = a.iso3
          WHERE a.meeting_id = $1 GROUP BY 1 ORDER BY 1 NULLS LAST`,
        [meetingId],
      )
      return rows.map((r) => ({
        region: r.region as string | null,
        applications: r.applications as number,
        approved: r.approved as number,
        committedMinor: r.committed as number,
        spentMinor: r.spent as number,
      }))
    },

    async countByStatus(meetingId: string, client: Queryable = db): Promise<Record<ApplicationStatus, number>> {
      const { rows } = await client.query(
        `SELECT status, count(*)::int AS n FROM sponsorship_applications WHERE meeting_id = $1 GROUP BY status`,
        [meetingId],
      )
      const counts = { pending: 0, approved: 0, waitlisted: 0, declined: 0 }
      for (const r of rows) counts[r.status as ApplicationStatus] = r.n
      return counts
    },
  }
}

export type SponsorshipRepository = ReturnType<typeof createSponsorshipRepository>
