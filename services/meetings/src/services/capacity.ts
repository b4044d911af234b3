import type { StateOnDay } from '../repositories/states.ts'
import type { Capacity } from '../repositories/delegations.ts'

/**
 * A state's capacity at a meeting, from its standing on the meeting's first day. It is a State Party there if its
 * instrument was deposited on or before that day and no withdrawal had taken effect, counted as the depositary and
 * contacts' summary count (so a state that deposited a week before the meeting sits with the States Parties, though
 * the Convention enters into force for it later, Art. 17(2)). Otherwise a signatory if it had signed by then (and never
 * withdrew: a withdrawal ends what the signature began), else an observer state.
 */
export function capacityOn(state: StateOnDay, day: string): Capacity {
  if (state.partyOnDay) return 'state_party'
  if (!state.withdrewBefore && state.signedOn !== null && state.signedOn <= day) return 'signatory'
  return 'observer_state'
}

/** The day a delegation's capacity is read on: the meeting's first day, or today for a meeting not yet dated. */
export const capacityDay = (meeting: { startsOn: string | null }, today: string): string => meeting.startsOn ?? today
