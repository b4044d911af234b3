import { z } from 'zod'
import { eventCatalogue } from '@ccm/events'
import { versionInput, iso3, isoDate, paginationQuery } from '@ccm/http'

export const interactionKinds = eventCatalogue['contacts.interaction.logged'].shape.kind.options
export const confidentialities = ['normal', 'restricted'] as const

const uuid = z.string().uuid('must be a UUID')
const unique = <T extends z.ZodType<string>>(item: T) =>
  z
    .array(item)
    .max(200)
    .refine((list) => new Set(list).size === list.length, 'must not repeat an entry')

const followUpInput = z
  .object({
    dueOn: isoDate,
    assignee: z.string().trim().min(1).max(200).describe("the staff member's user name, as in their token"),
    done: z.boolean().default(false),
  })
  .strict()

const fields = {
  kind: z.enum(interactionKinds),
  occurredAt: z
    .string()
    .datetime({ offset: true, message: 'must be an instant with its offset, e.g. 2026-03-02T10:30:00+01:00' }),
  summary: z.string().trim().min(1).max(500),
  notes: z.string().max(20_000).nullable(),
  states: unique(iso3).describe('ISO3 codes of the states concerned'),
  organizations: unique(uuid),
  people: unique(uuid),
  campaignId: uuid.nullable(),
  confidentiality: z.enum(confidentialities).describe('restricted notes are shown to editors and admins only'),
}

const example = {
  kind: 'meeting',
  occurredAt: '2026-03-02T10:30:00+01:00',
  summary: 'Bilateral on accession timetable',
  notes: 'The Ambassador expects cabinet approval before the summer recess.',
  states: ['KEN'],
  organizations: ['0b8f6f0e-2d7e-4a53-9a51-6c1c2b1e4f10'],
  people: ['6c0e3c4e-8a55-4a7b-9d3e-1f2a3b4c5d6e'],
  campaignId: null,
  confidentiality: 'restricted',
}

export const interactionInput = z
  .object({
    ...fields,
    notes: fields.notes.optional(),
    states: fields.states.default([]),
    organizations: fields.organizations.default([]),
    people: fields.people.default([]),
    campaignId: fields.campaignId.optional(),
    confidentiality: fields.confidentiality.default('normal'),
    followUp: followUpInput.optional(),
  })
  .strict()
  .meta({ id: 'NewInteraction', example: { ...example, followUp: { dueOn: '2026-03-16', assignee: 'marie.dupont' } } })

export const interactionPatch = z
  .object({
    ...fields,
    followUp: z
      .object({ dueOn: isoDate, assignee: z.string().trim().min(1).max(200), done: z.boolean() })
      .partial()
      .strict()
      .describe('changes the follow-up, or adds one (dueOn and assignee then required); done: true completes it'),
    version: versionInput,
  })
  .partial()
  .strict()
  .meta({ id: 'InteractionPatch', example: { followUp: { done: true }, version: 1 } })

export const followUpSchema = z
  .object({
    id: z.string().uuid(),
    interactionId: z.string().uuid(),
    dueOn: z.string(),
    assignee: z.string(),
    done: z.boolean(),
    overdue: z.boolean(),
    completedAt: z.string().nullable(),
    completedBy: z.string().nullable(),
  })
  .meta({
    id: 'FollowUp',
    example: {
      id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      interactionId: '2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f',
      dueOn: '2026-03-16',
      assignee: 'marie.dupont',
      done: false,
      overdue: false,
      completedAt: null,
      completedBy: null,
    },
  })

export const interactionSchema = z
  .object({
    id: z.string().uuid(),
    ...fields,
    notesRestricted: z.boolean().describe('true when notes exist but your role may not read them'),
    erasedParticipants: z.number().int().describe('people taken off this record at their request'),
    author: z.string(),
    followUp: followUpSchema.nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'Interaction',
    example: {
      id: '2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f',
      ...example,
      occurredAt: '2026-03-02T09:30:00.000Z',
      notesRestricted: false,
      erasedParticipants: 0,
      author: 'marie.dupont',
      followUp: null,
      version: 1,
      createdAt: '2026-03-02T11:00:00.000Z',
      updatedAt: '2026-03-02T11:00:00.000Z',
    },
  })

export const listInteractionsQuery = paginationQuery.extend({
  state: iso3.optional(),
  organizationId: uuid.optional(),
  personId: uuid.optional(),
  campaignId: uuid.optional(),
  kind: z.enum(interactionKinds).optional(),
  from: z.string().datetime({ offset: true }).optional().describe('occurred at or after'),
  to: z.string().datetime({ offset: true }).optional().describe('occurred before'),
})

export const followUpStatuses = ['open', 'overdue', 'done', 'all'] as const
export const listFollowUpsQuery = paginationQuery.extend({
  assignee: z.string().trim().min(1).max(200).optional(),
  due_before: isoDate.optional().describe('due on or before this date'),
  status: z
    .enum(followUpStatuses)
    .default('open')
    .describe('open includes overdue ones; overdue means open and past due'),
})
