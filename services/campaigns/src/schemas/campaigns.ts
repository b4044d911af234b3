import { z } from 'zod'
import { versionInput, isoDate, paginationQuery } from '@ccm/http'
import { campaignStatuses, goalMetrics } from '../services/stage-rules.ts'
import { recordStamps } from './common.ts'

const text = (max: number) => z.string().trim().min(1).max(max)

export const goalSchema = z
  .object({
    metric: z
      .enum(goalMetrics)
      .describe('targets the campaign moves to this stage or beyond (those it started there with do not count)'),
    target: z.number().int().min(1),
  })
  .strict()
  .meta({ id: 'CampaignGoal', example: { metric: 'joined', target: 3 } })

const campaignFields = {
  name: text(200),
  objective: text(2000),
  description: z.string().max(10_000).nullable(),
  owner: text(200).describe('the person responsible'),
  startsOn: isoDate.nullable(),
  endsOn: isoDate.nullable(),
  status: z.enum(campaignStatuses),
  goal: goalSchema.nullable(),
  tags: z.array(text(50)).max(30),
  staleAfterDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .describe('a target with no contact for this long is listed as stale'),
}

const example = {
  name: 'Universalization in Southern Africa 2026',
  objective:
    'Three more ratifications or accessions in the SADC region before the Thirteenth Meeting of States Parties',
  description: 'Démarches in capitals and meetings with missions in Geneva.',
  owner: 'marie.dupont',
  startsOn: '2026-01-15',
  endsOn: '2026-09-30',
  status: 'active',
  goal: { metric: 'joined', target: 3 },
  tags: ['universalization', 'SADC'],
  staleAfterDays: 90,
}

export const campaignInput = z
  .object({
    ...campaignFields,
    description: campaignFields.description.optional(),
    startsOn: campaignFields.startsOn.optional(),
    endsOn: campaignFields.endsOn.optional(),
    status: campaignFields.status.optional().describe('planned unless given'),
    goal: campaignFields.goal.optional(),
    tags: campaignFields.tags.optional(),
    staleAfterDays: campaignFields.staleAfterDays.optional().describe('90 unless given'),
  })
  .strict()
  .meta({ id: 'NewCampaign', example })

export const campaignPatch = z
  .object({
    ...(Object.fromEntries(Object.entries(campaignFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof campaignFields]: z.ZodOptional<(typeof campaignFields)[K]>
    }),
    version: versionInput.optional(),
  })
  .strict()
  .meta({ id: 'CampaignChanges', example: { status: 'completed', version: 4 } })

export const campaignSchema = z
  .object({
    id: z.string().uuid(),
    ...campaignFields,
    goalReachedAt: z.string().nullable(),
    ...recordStamps,
  })
  .meta({
    id: 'Campaign',
    example: {
      id: '3f1c2a9e-6a51-4b8e-9d0e-2a7c5b1e4f10',
      ...example,
      goalReachedAt: null,
      version: 1,
      createdAt: '2026-01-10T09:00:00.000Z',
      createdBy: 'marie.dupont',
      updatedAt: '2026-01-10T09:00:00.000Z',
      updatedBy: 'marie.dupont',
    },
  })

export const listCampaignsQuery = paginationQuery.extend({
  status: z.enum(campaignStatuses).optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  q: z.string().trim().min(1).max(100).optional().describe('part of the name'),
})
