import { randomUUID } from 'node:crypto'
import type { Envelope, EventData, Events, WriteTransaction } from '@ccm/events'
import type { CampaignsRepository } from '../repositories/campaigns.ts'
import type { MilestonesRepository } from '../repositories/milestones.ts'
import type { StatesRepository } from '../repositories/states.ts'
import type { Target, TargetsRepository } from '../repositories/targets.ts'
import { today as todayDate } from './dates.ts'
import { moveAfterInteraction, rankOf, type TargetStage } from './stage-rules.ts'

/** What moved a target: a person (by) or an event (causedByEventId), on whose behalf, and why. */
export interface MoveCause {
  by: string | null
  actor: string
  correlationId: string
  causedByEventId: string | null
  reason: string | null
  evidenceInteractionId: string | null
}

/** The transaction a move is made in, and the buffer its audit rows and events go to until it commits. */
type Tx = WriteTransaction

interface Deps {
  states: StatesRepository
  campaigns: CampaignsRepository
  targets: TargetsRepository
  milestones: MilestonesRepository
  events: Pick<Events, 'withWrites'>
}

export const SWEEP_ACTOR = 'campaigns-in-force-sweep'
const eventCause = (event: Envelope, reason: string, evidenceInteractionId: string | null = null): MoveCause => ({
  by: null,
  actor: event.actor,
  correlationId: event.correlationid,
  causedByEventId: event.id,
  reason,
  evidenceInteractionId,
})

/**
 * Every stage change goes through here, whoever causes it: the transition, the target, its audit row
 * and its event in the caller's transaction, then the campaign's goal is checked.
 */
export function createPipelineService(deps: Deps) {
  const { states, campaigns, targets, milestones, events } = deps

  /** Returns false (changing nothing) when the event that causes it already made this move. */
  async function move(tx: Tx, target: Target, to: TargetStage, cause: MoveCause): Promise<boolean> {
    const transition = await targets.addTransition(
      {
        campaignId: target.campaignId,
        iso3: target.iso3,
        from: target.stage,
        to,
        by: cause.by,
        causedByEventId: cause.causedByEventId,
        reason: cause.reason,
        evidenceInteractionId: cause.evidenceInteractionId,
      },
      tx.client,
    )
    if (!transition) return false
    moved(tx, target, to, cause)
    return true
  }

  /** The audit row and event of a move whose transition is stored; the target takes its new stage. */
  function moved({ writes }: Tx, target: Target, to: TargetStage, cause: MoveCause): void {
    writes.audit({
      actor: cause.actor,
      correlationId: cause.correlationId,
      entityType: 'target',
      entityId: `${target.campaignId}/${target.iso3}`,
      action: 'target.stage_changed',
      before: { stage: target.stage },
      after: { stage: to, reason: cause.reason },
    })
    writes.event({
      type: 'campaigns.target.stage_changed',
      subject: target.campaignId,
      actor: cause.actor,
      correlationId: cause.correlationId,
      data: {
        campaignId: target.campaignId,
        iso3: target.iso3,
        from: target.stage,
        to,
        reason: cause.reason,
        by: cause.by,
        causedByEventId: cause.causedByEventId,
        evidenceInteractionId: cause.evidenceInteractionId,
      },
    })
    target.stage = to
  }

  /** Emits the goal milestone the first time the campaign's achieved count reaches its target. */
  async function checkGoal({ client, writes }: Tx, campaignId: string, cause: MoveCause): Promise<void> {
    const campaign = await campaigns.get(campaignId, client)
    if (!campaign?.goal || campaign.goalReachedAt) return
    if ((await targets.countAchieved(campaignId, campaign.goal.metric, client)) < campaign.goal.target) return
    const id = randomUUID()
    const statesPartiesCount = await states.countStatesParties(client)
    // A person's move has no event behind it: the milestone's own id stands in, so it stays unique.
    const causedByEventId = cause.causedByEventId ?? id
    if (
      !(await milestones.insertIfNew(
        { id, kind: 'goal_reached', campaignId, iso3: null, depositedOn: null, statesPartiesCount, causedByEventId },
        client,
      ))
    )
      return
    await campaigns.markGoalReached(campaignId, client)
    writes.audit({
      actor: cause.actor,
      correlationId: cause.correlationId,
      entityType: 'campaign',
      entityId: campaignId,
      action: 'campaign.goal_reached',
      before: { goalReached: false },
      after: { goalReached: true, goal: campaign.goal, milestoneId: id },
    })
    writes.event({
      type: 'campaigns.milestone.reached',
      subject: campaignId,
      actor: cause.actor,
      correlationId: cause.correlationId,
      data: {
        kind: 'goal_reached',
        state: null,
        statesPartiesCount,
        campaign: { id: campaignId, name: campaign.name },
        causedByEventId,
      },
    })
  }

  async function stateJoined(
    { client, writes }: Tx,
    target: Target,
    event: Envelope<EventData<'contacts.treaty_status.changed'>>,
  ): Promise<void> {
    const { data } = event
    const recorded = await milestones.insertIfNew(
      {
        id: randomUUID(),
        kind: 'state_joined',
        campaignId: target.campaignId,
        iso3: target.iso3,
        depositedOn: data.state.depositedOn,
        statesPartiesCount: data.statesPartiesCount,
        causedByEventId: event.id,
      },
      client,
    )
    if (!recorded) return
    const campaign = await campaigns.get(target.campaignId, client)
    writes.event({
      type: 'campaigns.milestone.reached',
      subject: target.campaignId,
      actor: event.actor,
      correlationId: event.correlationid,
      data: {
        kind: 'state_joined',
        state: { iso3: data.iso3, name: data.name },
        statesPartiesCount: data.statesPartiesCount,
        campaign: { id: target.campaignId, name: campaign!.name },
        causedByEventId: event.id,
      },
    })
  }

  return {
    move,
    checkGoal,

    /** `contacts.state.registered`: the state's snapshot becomes the read model's record. */
    async applyStateRegistered(event: Envelope<EventData<'contacts.state.registered'>>, { client }: Tx): Promise<void> {
      await states.upsert(event.data, event, client)
    },

    /**
     * `contacts.treaty_status.changed`: the read model takes the new snapshot; a deposit moves the state's
     * targets to `joined` (and on to `in_force` if that date has come) with one milestone per campaign;
     * a withdrawal sends them back to `not_engaged`.
     */
    async applyTreatyChange(event: Envelope<EventData<'contacts.treaty_status.changed'>>, tx: Tx): Promise<void> {
      const { data } = event
      const { client } = tx
      await states.upsert(data.state, event, client)
      const affected = await targets.ofStateInOpenCampaignsForUpdate(data.iso3, client)
      for (const target of affected) {
        if (data.to === 'state_party') {
          if (target.stage !== 'joined' && target.stage !== 'in_force') {
            const reason = `${data.name} deposited its instrument of ${data.step.kind} on ${data.step.date}`
            if (await move(tx, target, 'joined', eventCause(event, reason))) await stateJoined(tx, target, event)
          }
          const inForceOn = data.state.entryIntoForceOn
          if (target.stage === 'joined' && inForceOn && inForceOn <= todayDate()) {
            await move(
              tx,
              target,
              'in_force',
              eventCause(event, `the Convention entered into force for ${data.name} on ${inForceOn}`),
            )
          }
        } else if (data.from === 'state_party' && (target.stage === 'joined' || target.stage === 'in_force')) {
          const reason =
            `${data.name} withdrew from the Convention: ` +
            `notice of ${data.state.withdrawalNoticeOn ?? data.step.date}, ` +
            `effective ${data.state.withdrawalEffectiveOn ?? 'six months later'}`
          await move(tx, target, 'not_engaged', eventCause(event, reason))
        }
        if (target.goalPending) await checkGoal(tx, target.campaignId, eventCause(event, ''))
      }
    },

    /**
     * `contacts.interaction.logged`: each target of a state concerned records the contact. Its stage moves
     * (see moveAfterInteraction) in every running campaign, or only in the campaign the interaction was
     * logged for, if it names one. One statement per state does both (see recordContact).
     */
    async applyInteraction(event: Envelope<EventData<'contacts.interaction.logged'>>, tx: Tx): Promise<void> {
      const { data } = event
      const contact = { at: data.occurredAt, kind: data.kind, interactionId: data.id }
      const cause = eventCause(event, `${data.kind} on ${data.occurredAt.slice(0, 10)} logged in contacts`, data.id)
      const rule = moveAfterInteraction(data.kind)
      const interactionMove = rule && {
        ...rule,
        campaignId: data.campaignId ?? null,
        causedByEventId: event.id,
        reason: cause.reason!,
      }
      for (const iso3 of [...new Set(data.states)].sort()) {
        const concerned = await targets.recordContact(
          iso3,
          { ...contact, people: data.people },
          interactionMove,
          tx.client,
        )
        const recorded = concerned.filter((t) => t.contactRecorded).map((t) => t.campaignId)
        if (recorded.length) {
          // One audit row per state: the same contact, recorded on its target in each campaign listed.
          tx.writes.audit({
            actor: event.actor,
            correlationId: event.correlationid,
            entityType: 'state_targets',
            entityId: iso3,
            action: 'target.contact_recorded',
            before: null,
            after: { lastContact: contact, campaignIds: recorded },
          })
        }
        for (const target of concerned) {
          if (!target.movedTo) continue
          moved(tx, target, target.movedTo, cause)
          if (target.goalPending) await checkGoal(tx, target.campaignId, cause)
        }
      }
    },

    /**
     * `meetings.attendance.recorded`: a state outside the Convention that attends a meeting, as an observer state or a
     * signatory, is engaged. Only forward: a target at `engaged` or beyond, paused or declined, stays where it is; the
     * transition is unique per event and stage, so a redelivered event moves nothing.
     */
    async applyAttendance(event: Envelope<EventData<'meetings.attendance.recorded'>>, tx: Tx): Promise<void> {
      const { data } = event
      if (!data.iso3 || (data.capacity !== 'observer_state' && data.capacity !== 'signatory')) return
      const as = data.capacity === 'observer_state' ? 'an observer state' : 'a signatory'
      const reason = `attended ${data.meetingTitle} (meeting ${data.meetingId}) as ${as} on ${data.day}`
      for (const target of await targets.ofStateInOpenCampaignsForUpdate(data.iso3, tx.client)) {
        const rank = rankOf(target.stage)
        if (rank < 0 || rank >= rankOf('engaged')) continue
        if ((await move(tx, target, 'engaged', eventCause(event, reason))) && target.goalPending) {
          await checkGoal(tx, target.campaignId, eventCause(event, reason))
        }
      }
    },

    /** Moves `joined` targets whose state's entry into force has come to `in_force`; returns how many moved. */
    async sweepInForce(on: string = todayDate()): Promise<number> {
      return events.withWrites(async (tx) => {
        const due = await targets.joinedNowInForceForUpdate(on, tx.client)
        const correlationId = `in-force-sweep-${randomUUID()}`
        const cause = (reason: string): MoveCause => ({
          by: null,
          actor: SWEEP_ACTOR,
          correlationId,
          causedByEventId: null,
          reason,
          evidenceInteractionId: null,
        })
        for (const target of due) {
          await move(
            tx,
            target,
            'in_force',
            cause(`the Convention entered into force for ${target.name} on ${target.entryIntoForceOn}`),
          )
        }
        for (const campaignId of new Set(due.map((t) => t.campaignId))) await checkGoal(tx, campaignId, cause(''))
        return due.length
      })
    },
  }
}

export type PipelineService = ReturnType<typeof createPipelineService>
