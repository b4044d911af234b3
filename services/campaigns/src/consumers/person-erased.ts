import type { EventHandlers } from '@ccm/events'
import type { CampaignsDomain } from '../domain.ts'

/** `contacts.person.erased`: the person's id goes from every last contact and task that holds it. */
export function personErasedHandlers({ erasure }: Pick<CampaignsDomain, 'erasure'>) {
  return {
    'contacts.person.erased': async (event, { client, writes, log }) => {
      const removed = await erasure.forgetPerson(
        event.data.id,
        { actor: event.actor, correlationId: event.correlationid },
        { client, writes },
      )
      log.info(removed, 'erased person removed')
    },
  } satisfies EventHandlers
}
