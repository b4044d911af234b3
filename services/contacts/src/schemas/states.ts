import { z } from 'zod'
import { paginationQuery } from '@ccm/http'
import { isRealDate, treatyStatuses, treatyStepKinds } from '../services/treaty-rules.ts'

export const iso3Param = z.object({
  iso3: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 3166-1 alpha-3 code').transform((s) => s.toUpperCase()),
})

export const regionalGroups = ['African', 'Asia-Pacific', 'Eastern European', 'GRULAC', 'WEOG'] as const

const isoDate = z.string().refine(isRealDate, 'must be a calendar date, YYYY-MM-DD')

export const stateSchema = z
  .object({
    iso3: z.string(),
    name: z.string(),
    unStatus: z.string(),
    regionalGroup: z.string().nullable(),
    status: z.enum(treatyStatuses),
    signedOn: z.string().nullable(),
    depositedOn: z.string().nullable(),
    how: z.string().nullable().describe('ratification, acceptance, approval or accession'),
    entryIntoForceOn: z.string().nullable(),
    withdrawalNoticeOn: z.string().nullable(),
    withdrawalEffectiveOn: z.string().nullable(),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'State',
    example: {
      iso3: 'VUT', name: 'Vanuatu', unStatus: 'member', regionalGroup: 'Asia-Pacific', status: 'state_party',
      signedOn: null, depositedOn: '2025-09-05', how: 'accession', entryIntoForceOn: '2026-03-01',
      withdrawalNoticeOn: null, withdrawalEffectiveOn: null, version: 1, updatedAt: '2026-01-10T09:00:00.000Z',
    },
  })

export const listStatesQuery = paginationQuery.extend({
  status: z.enum(treatyStatuses).optional(),
  region: z.enum(regionalGroups).optional(),
  q: z.string().trim().min(1).max(100).optional().describe('part of the name; accents and case are ignored'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
})

export const statesSummarySchema = z.object({
  total: z.number().int(),
  byStatus: z.record(z.enum(treatyStatuses), z.number().int()),
  byRegion: z.record(z.string(), z.record(z.enum(treatyStatuses), z.number().int())),
}).meta({ id: 'StatesSummary' })

export const treatyStepInput = z
  .object({
    kind: z.enum(treatyStepKinds),
    date: isoDate.describe('the date the depositary received the instrument or notice'),
    source: z.string().trim().min(1).max(500).optional().describe('where this is recorded, e.g. a depositary notification'),
  })
  .strict()
  .meta({ id: 'NewTreatyStep', example: { kind: 'accession', date: '2025-09-05', source: 'C.N.412.2025.TREATIES-XXVI.6' } })

export const treatyStepSchema = z
  .object({
    id: z.number().int(),
    iso3: z.string(),
    kind: z.enum(treatyStepKinds),
    date: z.string(),
    source: z.string().nullable(),
    fromStatus: z.enum(treatyStatuses),
    toStatus: z.enum(treatyStatuses),
    recordedBy: z.string(),
    recordedAt: z.string(),
  })
  .meta({ id: 'TreatyStep' })
