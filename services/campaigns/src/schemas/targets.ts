import { z } from 'zod'
import { treatyStatuses } from '@ccm/events'
import { versionInput, iso3 } from '@ccm/http'
import { targetStages } from '../services/stage-rules.ts'
import { regionalGroups } from './common.ts'

export const addTargetsInput = z
  .object({
    iso3: z.array(iso3).min(1).max(200).optional().describe('states by ISO3 code'),
    filter: z
      .object({
        status: z.enum(treatyStatuses).optional(),
        region: z.enum(regionalGroups).optional().describe('UN regional group'),
        reports: z
          .literal('overdue')
          .optional()
          .describe('only States Parties with an Article 7 report past its deadline today'),
      })
      .strict()
      .optional()
      .describe('every state of the read model that matches'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.iso3 === undefined) === (body.filter === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['iso3'],
        message: 'give either iso3 (a list of codes) or filter, not both and not neither',
      })
    }
  })
  .meta({ id: 'TargetsToAdd', example: { filter: { status: 'signatory', region: 'African' } } })

const lastContact = z
  .object({ at: z.string(), kind: z.string(), interactionId: z.string().uuid() })
  .nullable()
  .describe('the latest interaction logged in contacts concerning the state')

export const targetSchema = z
  .object({
    campaignId: z.string().uuid(),
    iso3: z.string(),
    name: z.string(),
    stage: z.enum(targetStages),
    initialStage: z.enum(targetStages),
    stageSince: z.string(),
    lastContact,
    addedAt: z.string(),
    addedBy: z.string(),
    version: z.number().int(),
  })
  .meta({
    id: 'Target',
    example: {
      campaignId: '3f1c2a9e-6a51-4b8e-9d0e-2a7c5b1e4f10',
      iso3: 'KEN',
      name: 'Kenya',
      stage: 'engaged',
      initialStage: 'not_engaged',
      stageSince: '2026-02-03T10:12:00.000Z',
      lastContact: {
        at: '2026-02-03T09:30:00.000Z',
        kind: 'meeting',
        interactionId: '0b8f5a1e-2c47-4f1b-9d83-6a2e1c5b7d90',
      },
      addedAt: '2026-01-15T08:00:00.000Z',
      addedBy: 'marie.dupont',
      version: 2,
    },
  })

export const transitionSchema = z
  .object({
    id: z.number().int(),
    from: z.enum(targetStages).nullable().describe('null for the stage it was added in'),
    to: z.enum(targetStages),
    at: z.string(),
    by: z.string().nullable().describe('the person who moved it, or null when an event did'),
    causedByEventId: z.string().uuid().nullable(),
    reason: z.string().nullable(),
    evidenceInteractionId: z.string().uuid().nullable(),
  })
  .meta({
    id: 'TargetTransition',
    example: {
      id: 42,
      from: 'not_engaged',
      to: 'engaged',
      at: '2026-02-03T10:12:00.000Z',
      by: null,
      causedByEventId: '5c0e7d1a-8b2f-4e6a-9c3d-1f0a2b3c4d5e',
      reason: 'meeting on 2026-02-03 logged in contacts',
      evidenceInteractionId: '0b8f5a1e-2c47-4f1b-9d83-6a2e1c5b7d90',
    },
  })

export const targetDetailSchema = targetSchema.extend({ transitions: z.array(transitionSchema) }).meta({
  id: 'TargetDetail',
  example: {
    ...(targetSchema.meta()?.example as object),
    transitions: [
      {
        id: 41,
        from: null,
        to: 'not_engaged',
        at: '2026-01-15T08:00:00.000Z',
        by: 'marie.dupont',
        causedByEventId: null,
        reason: 'added to the campaign',
        evidenceInteractionId: null,
      },
      transitionSchema.meta()?.example,
    ],
  },
})

export const addTargetsResult = z
  .object({
    added: z.array(targetSchema),
    alreadyTargeted: z.array(z.string()).describe('codes the campaign already had; left as they were'),
  })
  .meta({ id: 'AddTargetsResult', example: { added: [targetSchema.meta()?.example], alreadyTargeted: ['UGA'] } })

export const stageMoveInput = z
  .object({
    stage: z.enum(targetStages),
    reason: z
      .string()
      .trim()
      .max(2000)
      .optional()
      .describe('required for paused, declined, forward moves into engaged, considering or committed, and moves back'),
    interactionId: z.string().uuid().optional().describe('the contacts interaction that shows it'),
    version: versionInput.optional(),
  })
  .strict()
  .meta({
    id: 'StageMove',
    example: {
      stage: 'considering',
      reason: 'The minister said the accession bill goes to cabinet in March',
      interactionId: '0b8f5a1e-2c47-4f1b-9d83-6a2e1c5b7d90',
    },
  })

export const listTargetsQuery = z.object({ stage: z.enum(targetStages).optional() })
