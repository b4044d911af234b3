import type { EventHandlers } from '@ccm/events'
import type { CampaignsDomain } from '../domain.ts'

/** `contacts.person.erased`: the person's id goes from every last contact and task that holds it. */
export function personErasedHandlers({ targets, tasks }: Pick<CampaignsDomain, 'targets' | 'tasks'>) {
  return {
    'contacts.person.erased': async (event, { client, log, writes }) => {
      const personId = event.data.id
      const contacts = await targets.forgetPerson(personId, client)
      const taskIds = await tasks.forgetPerson(personId, client)
      const audit = { actor: event.actor, correlationId: event.correlationid, action: 'person.erased' }
      // The audit row says a person was removed, never who: that would keep what the erasure removes.
      for (const { campaignId, iso3 } of contacts) {
        writes.audit({ ...audit, entityType: 'target', entityId: `${campaignId}/${iso3}`, before: { lastContactPeople: '[erased person]' }, after: { lastContactPeople: null } })
      }
      for (const id of taskIds) {
        writes.audit({ ...audit, entityType: 'task', entityId: id, before: { personId: '[erased person]' }, after: { personId: null } })
      }
      log.info({ targets: contacts.length, tasks: taskIds.length }, 'erased person removed')
    },
  } satisfies EventHandlers
}
