import { randomUUID } from 'node:crypto'
import type { Events, WriteTransaction } from '@ccm/events'
import { invalidInput, type WriteContext } from '@ccm/http'
import { assertVersion, errors } from '../errors.ts'
import type { MeetingsRepository } from '../repositories/meetings.ts'
import type {
  Application,
  Budget,
  Costs,
  SponsorshipRepository,
  Totals,
  sponsorshipDecisions,
} from '../repositories/sponsorship.ts'
import type { StatesRepository } from '../repositories/states.ts'

export type Decision = (typeof sponsorshipDecisions)[number]
/** Who is writing, and whether they are an admin: only an admin may take the totals past the budget. */
export type SponsorshipContext = WriteContext & { isAdmin: boolean }
export interface Override {
  reason: string
}

interface Deps {
  meetings: MeetingsRepository
  sponsorship: SponsorshipRepository
  states: StatesRepository
  events: Pick<Events, 'withWrites'>
}

export const costOf = (c: Costs): number => c.travelCostMinor + c.accommodationCostMinor + c.dsaDays * c.dsaRateMinor
const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency}`
const costsOf = (a: Application): Costs => ({
  travelBooked: a.travelBooked,
  travelCostMinor: a.travelCostMinor,
  accommodationCostMinor: a.accommodationCostMinor,
  dsaDays: a.dsaDays,
  dsaRateMinor: a.dsaRateMinor,
  visaLetterIssued: a.visaLetterIssued,
  attendanceConfirmed: a.attendanceConfirmed,
  reportReceivedOn: a.reportReceivedOn,
})

/**
 * 409 naming the overrun if the totals would pass the budget, unless an admin overrides it with a reason (403 for
 * anyone else who tries); returns the override to record, if one was needed.
 */
function checkCap(
  budget: Budget,
  totals: Totals,
  override: Override | undefined,
  ctx: SponsorshipContext,
): { reason: string; by: string } | null {
  const over = [
    ['committed', totals.committedMinor],
    ['spent', totals.spentMinor],
  ].filter(([, total]) => (total as number) > budget.amountMinor) as [string, number][]
  if (over.length === 0) return null
  if (!override) {
    const [what, total] = over[0]!
    throw new errors.OverBudget(
      `${what} would be ${money(total, budget.currency)}, ${money(total - budget.amountMinor, budget.currency)} ` +
        `over the budget of ${money(budget.amountMinor, budget.currency)}; an admin may override it with a reason`,
    )
  }
  if (!ctx.isAdmin) throw new errors.AdminOnly('Only an admin may take the sponsorship totals past the budget')
  return { reason: override.reason, by: ctx.actor }
}

export function createSponsorshipService(deps: Deps) {
  const { meetings, sponsorship, states, events } = deps

  async function budgetOf(meetingId: string, tx: WriteTransaction): Promise<Budget> {
    const budget = await sponsorship.budgetForUpdate(meetingId, tx.client)
    if (!budget) throw new errors.NoBudget('The meeting has no sponsorship budget yet: set one first')
    return budget
  }

  async function applicationOf(meetingId: string, id: string, tx: WriteTransaction): Promise<Application> {
    const application = await sponsorship.getForUpdate(meetingId, id, tx.client)
    if (!application) throw new errors.ApplicationNotFound(id)
    return application
  }

  function audit(tx: WriteTransaction, ctx: WriteContext, id: string, action: string, before: object, after: object) {
    tx.writes.audit({
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      entityType: 'sponsorship_application',
      entityId: id,
      action,
      before: { ...before },
      after: { ...after },
    })
  }

  return {
    async setBudget(
      meetingId: string,
      input: Pick<Budget, 'amountMinor' | 'currency' | 'donors'> & { override?: Override },
      version: number | undefined,
      ctx: SponsorshipContext,
    ): Promise<Budget> {
      return events.withWrites(async (tx) => {
        if (!(await meetings.get(meetingId, tx.client))) throw new errors.MeetingNotFound(meetingId)
        const before = await sponsorship.budgetForUpdate(meetingId, tx.client)
        if (before) assertVersion('The budget', before.version, version)
        const totals = await sponsorship.totals(meetingId, null, tx.client)
        if (before && before.currency !== input.currency && totals.committedMinor > 0) {
          throw invalidInput('body.currency', `costs are committed in ${before.currency}; the currency cannot change`)
        }
        const { override, ...fields } = input
        checkCap({ ...fields, meetingId, version: 0, updatedAt: '', updatedBy: '' }, totals, override, ctx)
        const budget = await sponsorship.putBudget({ ...fields, meetingId }, ctx.actor, tx.client)
        tx.writes.audit({
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          entityType: 'sponsorship_budget',
          entityId: meetingId,
          action: 'sponsorship.budget_set',
          before: before ? { amountMinor: before.amountMinor, currency: before.currency, donors: before.donors } : null,
          after: { ...fields, override: override?.reason ?? null },
        })
        return budget
      })
    },

    async apply(
      meetingId: string,
      input: { personId: string; name: string; iso3: string; function: string; motivation: string },
      ctx: WriteContext,
    ): Promise<Application> {
      return events.withWrites(async (tx) => {
        if (!(await meetings.get(meetingId, tx.client))) throw new errors.MeetingNotFound(meetingId)
        if (!(await states.onDay(input.iso3, '9999-12-31', tx.client))) {
          throw invalidInput('body.iso3', `${input.iso3} is not in the registry of states (yet)`)
        }
        const application = await sponsorship.insert(
          { ...input, id: randomUUID(), meetingId, personName: input.name },
          ctx.actor,
          tx.client,
        )
        audit(
          tx,
          ctx,
          application.id,
          'sponsorship.applied',
          {},
          {
            personId: input.personId,
            personName: input.name,
            iso3: input.iso3,
            function: input.function,
          },
        )
        return application
      })
    },

    /** By an editor or admin who did not enter the application (four eyes): 403 for its author. */
    async decide(
      meetingId: string,
      id: string,
      input: { decision: Decision; reason: string; override?: Override; version?: number },
      ctx: SponsorshipContext,
    ): Promise<Application> {
      return events.withWrites(async (tx) => {
        const budget = await budgetOf(meetingId, tx)
        const before = await applicationOf(meetingId, id, tx)
        assertVersion('The application', before.version, input.version)
        if (before.createdBy === ctx.actor) {
          throw new errors.OwnApplication('The application was entered by you: another editor decides it')
        }
        let override = null
        if (input.decision === 'approved') {
          const others = await sponsorship.totals(meetingId, id, tx.client)
          const cost = costOf(before)
          override = checkCap(
            budget,
            {
              committedMinor: others.committedMinor + cost,
              spentMinor: others.spentMinor + (before.attendanceConfirmed ? cost : 0),
            },
            input.override,
            ctx,
          )
        }
        const after = await sponsorship.decide(
          id,
          { status: input.decision, reason: input.reason, override },
          ctx.actor,
          tx.client,
        )
        audit(
          tx,
          ctx,
          id,
          'sponsorship.decided',
          { status: before.status, reason: before.decisionReason },
          { status: after.status, reason: after.decisionReason, override: override?.reason ?? null },
        )
        tx.writes.event({
          type: 'meetings.sponsorship.decided',
          subject: after.iso3,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          data: { applicationId: id, meetingId, iso3: after.iso3, decision: input.decision },
        })
        return after
      })
    },

    /** Travel, accommodation, allowance, visa letter, attendance and report: for approved applications only. */
    async setCosts(
      meetingId: string,
      id: string,
      patch: Partial<Costs> & { override?: Override; version?: number },
      ctx: SponsorshipContext,
    ): Promise<Application> {
      return events.withWrites(async (tx) => {
        const budget = await budgetOf(meetingId, tx)
        const before = await applicationOf(meetingId, id, tx)
        assertVersion('The application', before.version, patch.version)
        if (before.status !== 'approved') {
          throw new errors.StepRefused(`The application is ${before.status}: costs are kept for approved ones only`)
        }
        const { override: given, version: _version, ...changes } = patch
        const costs = { ...costsOf(before), ...changes }
        const others = await sponsorship.totals(meetingId, id, tx.client)
        const cost = costOf(costs)
        const override = checkCap(
          budget,
          {
            committedMinor: others.committedMinor + cost,
            spentMinor: others.spentMinor + (costs.attendanceConfirmed ? cost : 0),
          },
          given,
          ctx,
        )
        const after = await sponsorship.setCosts(id, costs, override, ctx.actor, tx.client)
        audit(tx, ctx, id, 'sponsorship.costs', costsOf(before), { ...costs, override: override?.reason ?? null })
        return after
      })
    },

    async summary(meetingId: string) {
      if (!(await meetings.get(meetingId))) throw new errors.MeetingNotFound(meetingId)
      const [budget, totals, applications, byRegion, all] = await Promise.all([
        sponsorship.budget(meetingId),
        sponsorship.totals(meetingId, null),
        sponsorship.countByStatus(meetingId),
        sponsorship.byRegion(meetingId),
        sponsorship.ofMeeting(meetingId),
      ])
      const approved = all.filter((a) => a.status === 'approved')
      const count = (test: (a: Application) => boolean) => approved.filter(test).length
      return {
        meetingId,
        budget: budget && { amountMinor: budget.amountMinor, currency: budget.currency, donors: budget.donors },
        committedMinor: totals.committedMinor,
        spentMinor: totals.spentMinor,
        remainingMinor: budget ? budget.amountMinor - totals.committedMinor : null,
        applications,
        approved: {
          travelBooked: count((a) => a.travelBooked),
          visaLettersIssued: count((a) => a.visaLetterIssued),
          attendanceConfirmed: count((a) => a.attendanceConfirmed),
          reportsReceived: count((a) => a.reportReceivedOn !== null),
          overrides: count((a) => a.budgetOverrideReason !== null),
        },
        byRegion,
      }
    },
  }
}

export type SponsorshipService = ReturnType<typeof createSponsorshipService>
