import type { HttpApp } from '@ccm/http'
import { expectedVersion, pageOf, problemSchema, writeContext } from '@ccm/http'
import { z } from 'zod'
import { errors } from '../errors.ts'
import { listTasksQuery, taskInput, taskPatch, taskSchema } from '../schemas/tasks.ts'
import { today } from '../services/dates.ts'

const tags = ['tasks']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }
const taskIdParam = z.object({ id: z.string().uuid('must be a task id (a UUID)') })

export default async function tasksRoutes(app: HttpApp) {
  const { tasks, tasksService } = app.campaigns

  app.get(
    '/v1/tasks',
    {
      schema: {
        operationId: 'listTasks',
        tags,
        summary: 'Tasks, soonest due first',
        querystring: listTasksQuery,
        response: { 200: pageOf(taskSchema), ...problems },
      },
    },
    async (request) => {
      const { limit, offset, assignee, due_before, status, campaign_id, overdue } = request.query
      const page = await tasks.list(
        {
          assignee,
          dueBefore: due_before,
          status,
          campaignId: campaign_id,
          overdueOn: overdue === 'true' ? today() : undefined,
        },
        { limit, offset },
      )
      return { ...page, limit, offset }
    },
  )

  app.post(
    '/v1/tasks',
    {
      schema: {
        operationId: 'createTask',
        tags,
        summary: 'Create a task for a campaign, optionally about one of its targets',
        body: taskInput,
        response: { 201: taskSchema, ...problems },
      },
    },
    async (request, reply) => reply.status(201).send(await tasksService.create(request.body, writeContext(request))),
  )

  app.get(
    '/v1/tasks/:id',
    {
      schema: {
        operationId: 'getTask',
        tags,
        summary: 'One task',
        params: taskIdParam,
        response: { 200: taskSchema, ...problems },
      },
    },
    async (request) => {
      const task = await tasks.get(request.params.id)
      if (!task) throw new errors.TaskNotFound(request.params.id)
      return task
    },
  )

  app.patch(
    '/v1/tasks/:id',
    {
      schema: {
        operationId: 'updateTask',
        tags,
        summary: 'Change a task, or complete it (status done)',
        description: 'Send the version you read (body or If-Match); a stale one gets 409.',
        params: taskIdParam,
        body: taskPatch,
        response: { 200: taskSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) => {
      const { version, ...patch } = request.body
      return tasksService.update(request.params.id, patch, expectedVersion(request, version), writeContext(request))
    },
  )
}
