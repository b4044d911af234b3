import { randomUUID } from 'node:crypto'
import type { Events, WriteTransaction } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import { errors } from '../errors.ts'
import type { State, StatesRepository, TreatyStep } from '../repositories/states.ts'
import {
  applyArmedConflict,
  applyTreatyStep,
  withdrawalTakenEffect,
  type StepOutcome,
  type TreatyHistoryKind,
  type TreatyRecord,
  type TreatyStepKind,
} from './treaty-rules.ts'

/** A state's treaty facts, as the treaty rules and the event catalogue's state snapshot both name them. */
const treatyFields = [
  'status',
  'signedOn',
  'depositedOn',
  'how',
  'entryIntoForceOn',
  'withdrawalNoticeOn',
  'withdrawalEffectiveOn',
] as const

const pick = <T, K extends keyof T>(from: T, keys: readonly K[]) => {
  const picked: Partial<Pick<T, K>> = {}
  for (const key of keys) picked[key] = from[key]
  return picked as Pick<T, K>
}

export const treatyRecordOf = (state: State): TreatyRecord => pick(state, [...treatyFields, 'withdrawalArmedConflict'])

/** What other services hold of a state (the event catalogue's stateSnapshot). */
export const stateSnapshotOf = (state: State) =>
  pick(state, ['iso3', 'name', 'unStatus', 'regionalGroup', ...treatyFields])

const today = () => new Date().toISOString().slice(0, 10)
const WITHDRAWAL_SWEEP_ACTOR = 'contacts-withdrawal-sweep'

export function createStatesService(deps: { states: StatesRepository; events: Pick<Events, 'withWrites'> }) {
  const { states, events } = deps

  function accept(outcome: StepOutcome, what: string, state: State): TreatyRecord {
    if (!outcome.ok) throw new errors.TreatyStepRefused(`${what} refused for ${state.name}: ${outcome.reason}`)
    return outcome.next
  }

  /**
   * Stores a change of the record: the history step (if any), an audit row and, when the status changes,
   * `contacts.treaty_status.changed` with the number of States Parties on the step's date.
   */
  async function store(
    { client, writes }: WriteTransaction,
    before: State,
    next: TreatyRecord,
    action: string,
    step: { kind: TreatyHistoryKind; date: string; source: string | null } | null,
    ctx: WriteContext,
  ) {
    const after = await states.updateTreatyRecord(before.iso3, next, ctx.actor, client)
    const stored =
      step &&
      (await states.addStep(
        { iso3: before.iso3, ...step, fromStatus: before.status, toStatus: after.status, recordedBy: ctx.actor },
        client,
      ))
    writes.audit({
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      entityType: 'state',
      entityId: before.iso3,
      action,
      before: treatyRecordOf(before) as never,
      after: treatyRecordOf(after) as never,
    })
    if (stored && after.status !== before.status) {
      writes.event({
        type: 'contacts.treaty_status.changed',
        subject: before.iso3,
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        data: {
          iso3: before.iso3,
          name: after.name,
          from: before.status,
          to: after.status,
          step: { id: stored.id, kind: stored.kind, date: stored.date },
          state: stateSnapshotOf(after),
          statesPartiesCount: await states.countStatesPartiesOn(stored.date, client),
        },
      })
    }
    return { step: stored, state: after }
  }

  /** A withdrawal whose day has come takes effect in the same transaction as what made it due. */
  async function takeEffectIfDue(tx: WriteTransaction, state: State, on: string, ctx: WriteContext): Promise<State> {
    const next = withdrawalTakenEffect(treatyRecordOf(state), on)
    if (!next) return state
    const step = { kind: 'withdrawal_effective' as const, date: state.withdrawalEffectiveOn!, source: null }
    return (await store(tx, state, next, 'treaty_step.withdrawal_effective', step, ctx)).state
  }

  return {
    /**
     * Records a depositary step: the state's status and derived dates, the step in its history, an
     * audit row and a `contacts.treaty_status.changed` event, all in one transaction or none of them.
     */
    async recordTreatyStep(
      iso3: string,
      input: { kind: TreatyStepKind; date: string; source?: string },
      ctx: WriteContext,
    ): Promise<{ step: TreatyStep; state: State }> {
      return events.withWrites(async (tx) => {
        const { client } = tx
        const before = await states.getForUpdate(iso3, client)
        if (!before) throw new errors.StateNotFound(iso3)
        const next = accept(
          applyTreatyStep(treatyRecordOf(before), input.kind, input.date, today()),
          input.kind,
          before,
        )
        const { step, state } = await store(
          tx,
          before,
          next,
          `treaty_step.${input.kind}`,
          { kind: input.kind, date: input.date, source: input.source ?? null },
          ctx,
        )
        return { step: step!, state: await takeEffectIfDue(tx, state, today(), ctx) }
      })
    },

    /** Records whether Art. 20(3)'s armed-conflict proviso holds a pending withdrawal back, and until when. */
    async setWithdrawalArmedConflict(
      iso3: string,
      input: { armedConflict: boolean; effectiveOn?: string },
      ctx: WriteContext,
    ): Promise<State> {
      return events.withWrites(async (tx) => {
        const { client } = tx
        const before = await states.getForUpdate(iso3, client)
        if (!before) throw new errors.StateNotFound(iso3)
        const next = accept(applyArmedConflict(treatyRecordOf(before), input), 'armed-conflict proviso', before)
        const { state } = await store(tx, before, next, 'withdrawal.armed_conflict', null, ctx)
        return takeEffectIfDue(tx, state, today(), ctx)
      })
    },

    /** Withdrawals that take effect by `on` switch the state to `withdrawn`; returns how many did. */
    async sweepWithdrawals(on: string = today()): Promise<number> {
      return events.withWrites(async (tx) => {
        const { client } = tx
        const due = await states.withdrawalsDueForUpdate(on, client)
        const ctx = { actor: WITHDRAWAL_SWEEP_ACTOR, correlationId: `withdrawal-sweep-${randomUUID()}` }
        for (const state of due) await takeEffectIfDue(tx, state, on, ctx)
        return due.length
      })
    },
  }
}

export type StatesService = ReturnType<typeof createStatesService>
