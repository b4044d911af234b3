import { recordAudit, withTransaction, type Db } from '@ccm/db'
import type { Events } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import { errors } from '../errors.ts'
import type { State, StatesRepository, TreatyStep } from '../repositories/states.ts'
import { applyTreatyStep, type TreatyRecord, type TreatyStepKind } from './treaty-rules.ts'

export function treatyRecordOf(state: State): TreatyRecord {
  const { status, signedOn, depositedOn, how, entryIntoForceOn, withdrawalNoticeOn, withdrawalEffectiveOn } = state
  return { status, signedOn, depositedOn, how, entryIntoForceOn, withdrawalNoticeOn, withdrawalEffectiveOn }
}

export function stateSnapshotOf(state: State) {
  return {
    iso3: state.iso3,
    name: state.name,
    unStatus: state.unStatus,
    regionalGroup: state.regionalGroup,
    ...treatyRecordOf(state),
  }
}

const today = () => new Date().toISOString().slice(0, 10)

export function createStatesService(deps: { db: Db; states: StatesRepository; events: Pick<Events, 'append'> }) {
  const { db, states, events } = deps
  return {
    /**
     * Records a depositary step: the state's status and derived dates, the step in its history, an
     * audit row and a `contacts.treaty_status.changed` event, all in one transaction or none of them.
     */
    async recordTreatyStep(iso3: string, input: { kind: TreatyStepKind; date: string; source?: string }, ctx: WriteContext): Promise<{ step: TreatyStep; state: State }> {
      return withTransaction(db, async (client) => {
        const before = await states.getForUpdate(iso3, client)
        if (!before) throw new errors.StateNotFound(iso3)
        const outcome = applyTreatyStep(treatyRecordOf(before), input.kind, input.date, today())
        if (!outcome.ok) throw new errors.TreatyStepRefused(`${input.kind} refused for ${before.name}: ${outcome.reason}`)

        const after = await states.updateTreatyRecord(iso3, outcome.next, ctx.actor, client)
        const step = await states.addStep({
          iso3, kind: input.kind, date: input.date, source: input.source ?? null,
          fromStatus: before.status, toStatus: after.status, recordedBy: ctx.actor,
        }, client)
        await recordAudit(client, {
          actor: ctx.actor, correlationId: ctx.correlationId, entityType: 'state', entityId: iso3,
          action: `treaty_step.${input.kind}`, before: treatyRecordOf(before) as never, after: treatyRecordOf(after) as never,
        })
        if (after.status !== before.status) {
          await events.append(client, {
            type: 'contacts.treaty_status.changed',
            subject: iso3,
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            data: {
              iso3, name: after.name, from: before.status, to: after.status,
              step: { id: step.id, kind: step.kind, date: step.date },
              state: stateSnapshotOf(after),
              statesPartiesCount: await states.countStatesParties(client),
            },
          })
        }
        return { step, state: after }
      })
    },
  }
}

export type StatesService = ReturnType<typeof createStatesService>
