/**
 * The stages of a campaign target, and the campaigns API's rules for moving one by hand
 * (services/campaigns/src/services/stage-rules.ts), so the board can ask for a reason before it sends
 * the move and can explain a refused one at once; the API still decides.
 */
export const pipeline = [
  'not_engaged',
  'contacted',
  'engaged',
  'considering',
  'committed',
  'joined',
  'in_force',
] as const
export const offRamps = ['paused', 'declined'] as const
export const stages = [...pipeline, ...offRamps] as const
export type Stage = (typeof stages)[number]

const treatyStages: readonly Stage[] = ['joined', 'in_force']
const judgedStages: readonly Stage[] = ['engaged', 'considering', 'committed']
const rankOf = (stage: Stage) => (pipeline as readonly Stage[]).indexOf(stage)

export type MovePlan =
  { kind: 'same' } | { kind: 'refused'; why: 'treatyTo' | 'treatyFrom' } | { kind: 'needsReason' } | { kind: 'free' }

export function planMove(from: Stage, to: Stage): MovePlan {
  if (from === to) return { kind: 'same' }
  if (treatyStages.includes(to)) return { kind: 'refused', why: 'treatyTo' }
  if (treatyStages.includes(from)) return { kind: 'refused', why: 'treatyFrom' }
  if ((offRamps as readonly Stage[]).includes(to) || judgedStages.includes(to)) return { kind: 'needsReason' }
  if (rankOf(to) >= 0 && rankOf(from) > rankOf(to)) return { kind: 'needsReason' }
  return { kind: 'free' }
}

const DAY_MS = 86_400_000
export const daysSince = (iso: string, now = Date.now()) => Math.max(0, Math.floor((now - Date.parse(iso)) / DAY_MS))
