import type { Envelope, EventData, WriteTransaction } from '@ccm/events'
import type { PeopleRepository } from '../repositories/people.ts'
import type { StatesRepository } from '../repositories/states.ts'

/** What contacts publishes and meetings keeps: the states read model, and people's ids merged or erased. */
export function createContactsFeedService(deps: { states: StatesRepository; people: PeopleRepository }) {
  const { states, people } = deps
  return {
    async stateRegistered(event: Envelope<EventData<'contacts.state.registered'>>, { client }: WriteTransaction) {
      await states.upsert(event.data, event, client)
    },

    async treatyStatusChanged(
      event: Envelope<EventData<'contacts.treaty_status.changed'>>,
      { client }: WriteTransaction,
    ) {
      await states.upsert(event.data.state, event, client)
    },

    async personMerged(event: Envelope<EventData<'contacts.person.merged'>>, { client, writes }: WriteTransaction) {
      const moved = await people.merge(event.data.survivorId, event.data.mergedIds, client)
      if (moved === 0) return
      writes.audit({
        actor: event.actor,
        correlationId: event.correlationid,
        entityType: 'person',
        entityId: event.data.survivorId,
        action: 'person.merged',
        before: { personIds: event.data.mergedIds },
        after: { personIds: [event.data.survivorId], recordsMoved: moved },
      })
    },

    /** Returns what was removed, for the log: counts only. */
    async personErased(event: Envelope<EventData<'contacts.person.erased'>>, { client }: WriteTransaction) {
      return people.forget(event.data.id, client)
    },
  }
}

export type ContactsFeedService = ReturnType<typeof createContactsFeedService>
