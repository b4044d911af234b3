import type { WriteTransaction } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import type { TargetsRepository } from '../repositories/targets.ts'
import type { TasksRepository } from '../repositories/tasks.ts'

export function createErasureService(deps: { targets: TargetsRepository; tasks: TasksRepository }) {
  const { targets, tasks } = deps
  return {
    /**
     * A person erased in contacts: their id goes from every last contact and task that holds it, in the
     * caller's transaction. Returns how many targets and tasks held it.
     */
    async forgetPerson(
      personId: string,
      ctx: WriteContext,
      { client, writes }: WriteTransaction,
    ): Promise<{ targets: number; tasks: number }> {
      const contacts = await targets.forgetPerson(personId, client)
      const taskIds = await tasks.forgetPerson(personId, client)
      const audit = { actor: ctx.actor, correlationId: ctx.correlationId, action: 'person.erased' }
      // The audit row says a person was removed, never who: that would keep what the erasure removes.
      for (const { campaignId, iso3 } of contacts) {
        writes.audit({
          ...audit,
          entityType: 'target',
          entityId: `${campaignId}/${iso3}`,
          before: { lastContactPeople: '[erased person]' },
          after: { lastContactPeople: null },
        })
      }
      for (const id of taskIds) {
        writes.audit({
          ...audit,
          entityType: 'task',
          entityId: id,
          before: { personId: '[erased person]' },
          after: { personId: null },
        })
      }
      return { targets: contacts.length, tasks: taskIds.length }
    },
  }
}
