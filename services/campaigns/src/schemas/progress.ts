import { z } from 'zod'
import { targetStages } from '../services/stage-rules.ts'
import { goalSchema } from './campaigns.ts'
import { taskSchema } from './tasks.ts'

const stage = z.enum(targetStages)
const counts = z.object({
  statesParties: z.number().int(),
  signatories: z.number().int(),
  notSigned: z.number().int(),
  withdrawn: z.number().int(),
  total: z.number().int(),
})

export const progressSchema = z
  .object({
    campaignId: z.string().uuid(),
    totalTargets: z.number().int(),
    targetsPerStage: z.record(stage, z.number().int()),
    goal: goalSchema
      .extend({ achieved: z.number().int(), reached: z.boolean(), reachedAt: z.string().nullable() })
      .nullable(),
    conversion: z.array(
      z.object({
        from: stage,
        to: stage,
        entered: z.number().int().describe('targets that were ever in `from`'),
        advanced: z.number().int().describe('of those, how many went on to `to`'),
        rate: z.number().nullable(),
      }),
    ),
    medianDaysInStage: z
      .array(z.object({ stage, medianDays: z.number(), stays: z.number().int() }))
      .describe('a stay still going on counts up to now'),
    staleAfterDays: z.number().int(),
    staleTargets: z.array(
      z.object({
        iso3: z.string(),
        name: z.string(),
        stage,
        lastContactAt: z.string().nullable(),
        daysWithoutContact: z.number().int(),
      }),
    ),
    overdueTasks: z.array(taskSchema),
  })
  .meta({
    id: 'CampaignProgress',
    example: {
      campaignId: '3f1c2a9e-6a51-4b8e-9d0e-2a7c5b1e4f10',
      totalTargets: 2,
      targetsPerStage: {
        not_engaged: 0,
        contacted: 1,
        engaged: 0,
        considering: 0,
        committed: 0,
        joined: 1,
        in_force: 0,
        paused: 0,
        declined: 0,
      },
      goal: { metric: 'joined', target: 3, achieved: 1, reached: false, reachedAt: null },
      conversion: [{ from: 'not_engaged', to: 'contacted', entered: 2, advanced: 2, rate: 1 }],
      medianDaysInStage: [{ stage: 'contacted', medianDays: 12.5, stays: 2 }],
      staleAfterDays: 90,
      staleTargets: [],
      overdueTasks: [],
    },
  })

export const universalizationSchema = z
  .object({
    statesParties: z.number().int(),
    signatories: z.number().int(),
    byRegion: z.record(z.string(), counts).describe('per UN regional group; "none" for states outside them'),
    growth: z.array(
      z.object({
        year: z.number().int(),
        joined: z
          .number()
          .int()
          .describe('instruments deposited that year by states that are (or were until a withdrawal) parties'),
        withdrew: z.number().int().describe('withdrawals taking effect that year'),
        statesParties: z.number().int().describe('at the end of the year'),
      }),
    ),
  })
  .meta({
    id: 'Universalization',
    example: {
      statesParties: 112,
      signatories: 12,
      byRegion: { African: { statesParties: 36, signatories: 7, notSigned: 11, withdrawn: 0, total: 54 } },
      growth: [
        { year: 2009, joined: 7, withdrew: 0, statesParties: 7 },
        { year: 2010, joined: 37, withdrew: 0, statesParties: 44 },
      ],
    },
  })
