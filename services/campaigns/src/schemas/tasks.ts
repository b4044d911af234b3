import { z } from 'zod'
import { versionInput, iso3, isoDate, paginationQuery } from '@ccm/http'
import { taskStatuses } from '../repositories/tasks.ts'
import { recordStamps } from './common.ts'

const title = z.string().trim().min(1).max(500)
const assignee = z.string().trim().min(1).max(200)

export const taskInput = z
  .object({
    campaignId: z.string().uuid(),
    iso3: iso3.optional().describe('a target of the campaign'),
    title,
    assignee,
    dueOn: isoDate.optional(),
    personId: z.string().uuid().optional().describe('the contacts person it concerns'),
  })
  .strict()
  .meta({
    id: 'NewTask',
    example: {
      campaignId: '3f1c2a9e-6a51-4b8e-9d0e-2a7c5b1e4f10',
      iso3: 'KEN',
      title: 'Send the accession kit to the mission',
      assignee: 'marie.dupont',
      dueOn: '2026-03-15',
    },
  })

export const taskPatch = z
  .object({
    title: title.optional(),
    assignee: assignee.optional(),
    dueOn: isoDate.nullable().optional(),
    status: z.enum(taskStatuses).optional(),
    personId: z.string().uuid().nullable().optional(),
    version: versionInput.optional(),
  })
  .strict()
  .meta({ id: 'TaskChanges', example: { status: 'done', version: 1 } })

export const taskSchema = z
  .object({
    id: z.string().uuid(),
    campaignId: z.string().uuid(),
    iso3: z.string().nullable(),
    title: z.string(),
    assignee: z.string(),
    dueOn: z.string().nullable(),
    status: z.enum(taskStatuses),
    personId: z.string().uuid().nullable(),
    completedAt: z.string().nullable(),
    completedBy: z.string().nullable(),
    ...recordStamps,
  })
  .meta({
    id: 'Task',
    example: {
      id: '7d2e0c4a-93f1-4c5e-8b6a-1f2d3c4b5a69',
      campaignId: '3f1c2a9e-6a51-4b8e-9d0e-2a7c5b1e4f10',
      iso3: 'KEN',
      title: 'Send the accession kit to the mission',
      assignee: 'marie.dupont',
      dueOn: '2026-03-15',
      status: 'open',
      personId: null,
      completedAt: null,
      completedBy: null,
      version: 1,
      createdAt: '2026-02-01T09:00:00.000Z',
      createdBy: 'marie.dupont',
      updatedAt: '2026-02-01T09:00:00.000Z',
      updatedBy: 'marie.dupont',
    },
  })

export const listTasksQuery = paginationQuery.extend({
  assignee: assignee.optional(),
  due_before: isoDate.optional().describe('due strictly before this date'),
  status: z.enum(taskStatuses).optional(),
  campaign_id: z.string().uuid().optional(),
  overdue: z.enum(['true', 'false']).optional().describe('true: open and past their due date today'),
})
