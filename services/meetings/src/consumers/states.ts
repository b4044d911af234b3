import type { EventHandlers } from '@ccm/events'
import type { MeetingsDomain } from '../domain.ts'

/** `contacts.state.registered` and `contacts.treaty_status.changed`: the states read model capacities come from. */
export function statesHandlers({ contactsFeed }: Pick<MeetingsDomain, 'contactsFeed'>) {
  return {
    'contacts.state.registered': (event, tx) => contactsFeed.stateRegistered(event, tx),
    'contacts.treaty_status.changed': (event, tx) => contactsFeed.treatyStatusChanged(event, tx),
  } satisfies EventHandlers
}
