import { randomUUID } from 'node:crypto'
import { changedFields } from '@ccm/db'
import type { Events } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import { invalidInput } from '@ccm/http'
import { assertVersion, errors } from '../errors.ts'
import type { CampaignsRepository } from '../repositories/campaigns.ts'
import type { TargetsRepository } from '../repositories/targets.ts'
import type { Task, TaskFields, TasksRepository } from '../repositories/tasks.ts'

export type NewTask = {
  campaignId: string
  iso3?: string
  title: string
  assignee: string
  dueOn?: string
  personId?: string
}

const fieldsOf = ({ title, assignee, dueOn, status, personId }: Task): TaskFields => ({
  title,
  assignee,
  dueOn,
  status,
  personId,
})

interface Deps {
  campaigns: CampaignsRepository
  targets: TargetsRepository
  tasks: TasksRepository
  events: Pick<Events, 'withWrites'>
}

export function createTasksService(deps: Deps) {
  const { campaigns, targets, tasks, events } = deps
  return {
    async create(input: NewTask, ctx: WriteContext): Promise<Task> {
      return events.withWrites(async ({ client, writes }) => {
        if (!(await campaigns.get(input.campaignId, client)))
          throw invalidInput('body.campaignId', `no campaign with id ${input.campaignId}`)
        if (input.iso3 && !(await targets.get(input.campaignId, input.iso3, client))) {
          throw invalidInput('body.iso3', `${input.iso3} is not a target of this campaign`)
        }
        const task = await tasks.insert(
          {
            id: randomUUID(),
            campaignId: input.campaignId,
            iso3: input.iso3 ?? null,
            title: input.title,
            assignee: input.assignee,
            dueOn: input.dueOn ?? null,
            status: 'open',
            personId: input.personId ?? null,
          },
          ctx.actor,
          client,
        )
        writes.audit({
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          entityType: 'task',
          entityId: task.id,
          action: 'task.created',
          before: null,
          after: fieldsOf(task),
        })
        writes.event({
          type: 'campaigns.task.created',
          subject: task.campaignId,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          data: {
            id: task.id,
            campaignId: task.campaignId,
            iso3: task.iso3,
            assignee: task.assignee,
            dueOn: task.dueOn,
          },
        })
        return task
      })
    },

    async update(
      id: string,
      patch: Partial<TaskFields>,
      version: number | undefined,
      ctx: WriteContext,
    ): Promise<Task> {
      return events.withWrites(async ({ client, writes }) => {
        const before = await tasks.getForUpdate(id, client)
        if (!before) throw new errors.TaskNotFound(id)
        assertVersion('The task', before.version, version)
        const fields = { ...fieldsOf(before), ...patch }
        if (changedFields(fieldsOf(before), fields).length === 0) return before
        const after = await tasks.update(id, fields, ctx.actor, client)
        writes.audit({
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          entityType: 'task',
          entityId: id,
          action: 'task.updated',
          before: fieldsOf(before),
          after: fields,
        })
        if (after.status === 'done' && before.status !== 'done') {
          writes.event({
            type: 'campaigns.task.completed',
            subject: after.campaignId,
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            data: { id, campaignId: after.campaignId },
          })
        }
        return after
      })
    },
  }
}

export type TasksService = ReturnType<typeof createTasksService>
