import { eventCatalogue, type EventData } from '@ccm/events'

/** The stages as the event catalogue defines them, so the API and the events share one list. */
export const targetStages = eventCatalogue['campaigns.target.stage_changed'].shape.to.options
export type TargetStage = (typeof targetStages)[number]
export const campaignStatuses = eventCatalogue['campaigns.campaign.created'].shape.status.options
export type CampaignStatus = (typeof campaignStatuses)[number]
type InteractionKind = EventData<'contacts.interaction.logged'>['kind']

/** Stages outside the pipeline, which a target can leave again. */
const offRamps = ['paused', 'declined'] as const satisfies readonly TargetStage[]
const isOffRamp = (stage: TargetStage) => (offRamps as readonly TargetStage[]).includes(stage)
export type PipelineStage = Exclude<TargetStage, (typeof offRamps)[number]>
/** The pipeline, in the catalogue's order: every stage but the off-ramps. */
export const pipelineStages = targetStages.filter((stage): stage is PipelineStage => !isOffRamp(stage))
/** What a campaign's goal can count: targets at a stage of the pipeline past its first, or beyond it. */
export type GoalMetric = Exclude<PipelineStage, 'not_engaged'>
export const goalMetrics = pipelineStages.filter((stage): stage is GoalMetric => stage !== 'not_engaged')

/** Position in the pipeline; -1 for an off-ramp. */
export const rankOf = (stage: TargetStage): number => (pipelineStages as readonly TargetStage[]).indexOf(stage)

/** Stages only the depositary's records (treaty events) can set. */
const treatyStages: readonly TargetStage[] = ['joined', 'in_force']
/** Forward moves into these record a judgement about a state's intentions: a reason must say what it rests on. */
const judgedStages: readonly TargetStage[] = ['engaged', 'considering', 'committed']

const stageAfterKind: Record<InteractionKind, TargetStage | null> = {
  letter: 'contacted',
  email: 'contacted',
  call: 'contacted',
  demarche: 'contacted',
  meeting: 'engaged',
  event: 'engaged',
  other: null,
}

/**
 * Where a logged interaction takes a target: written contact makes it `contacted`, meeting face to
 * face makes it `engaged`. Only ever forward, and only from the first two stages: a target further
 * on, paused or declined is moved by people, not by a letter.
 */
export function stageAfterInteraction(current: TargetStage, kind: InteractionKind): TargetStage | null {
  const next = stageAfterKind[kind]
  if (!next || (current !== 'not_engaged' && current !== 'contacted')) return null
  return rankOf(next) > rankOf(current) ? next : null
}

/** The move a logged interaction makes, whatever the stage: stageAfterInteraction for all stages at once. */
export function moveAfterInteraction(kind: InteractionKind): { to: TargetStage; from: TargetStage[] } | null {
  const to = stageAfterKind[kind]
  const from = targetStages.filter((stage) => stageAfterInteraction(stage, kind) !== null)
  return to && from.length > 0 ? { to, from } : null
}

/** The stage a target starts in, from what the read model knows of its state. */
export function initialStage(state: { status: string; entryIntoForceOn: string | null }, today: string): TargetStage {
  if (state.status !== 'state_party') return 'not_engaged'
  return state.entryIntoForceOn && state.entryIntoForceOn <= today ? 'in_force' : 'joined'
}

export type MoveCheck = { ok: true } | { ok: false; field?: 'reason'; reason: string }

/** Whether a person may move a target from one stage to another, and with what justification. */
export function checkManualMove(from: TargetStage, to: TargetStage, reason: string | undefined): MoveCheck {
  if (from === to) return { ok: false, reason: `the target is already ${to}` }
  if (treatyStages.includes(to))
    return {
      ok: false,
      reason: `${to} follows the depositary's records (treaty events from contacts); it cannot be set by hand`,
    }
  if (treatyStages.includes(from))
    return { ok: false, reason: `the state is a State Party (${from}); its stage follows the depositary's records` }
  const hasReason = Boolean(reason?.trim())
  if (isOffRamp(to) && !hasReason) return { ok: false, field: 'reason', reason: `a move to ${to} needs a reason` }
  // From an off-ramp too: coming back into a judged stage is the same judgement.
  if (judgedStages.includes(to) && !hasReason)
    return { ok: false, field: 'reason', reason: `a move into ${to} needs a reason` }
  const backward = rankOf(from) > rankOf(to) && rankOf(to) >= 0
  if (backward && !hasReason)
    return { ok: false, field: 'reason', reason: `a move back from ${from} to ${to} needs a reason` }
  return { ok: true }
}
