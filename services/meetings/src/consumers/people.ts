import type { EventHandlers } from '@ccm/events'
import type { MeetingsDomain } from '../domain.ts'

/** `contacts.person.merged` moves the ids held here; `contacts.person.erased` removes the person's records. */
export function peopleHandlers({ contactsFeed }: Pick<MeetingsDomain, 'contactsFeed'>) {
  return {
    'contacts.person.merged': (event, tx) => contactsFeed.personMerged(event, tx),
    'contacts.person.erased': async (event, tx) => {
      const removed = await contactsFeed.personErased(event, tx)
      tx.log.info(removed, 'erased person removed')
    },
  } satisfies EventHandlers
}
