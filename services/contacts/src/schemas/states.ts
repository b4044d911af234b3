import { z } from 'zod'
import { iso3, isoDate, paginationQuery } from '@ccm/http'
import { treatyStatuses } from '@ccm/events'
import { treatyHistoryKinds, treatyStepKinds } from '../services/treaty-rules.ts'

export const iso3Param = z.object({ iso3 })

export const regionalGroups = ['African', 'Asia-Pacific', 'Eastern European', 'GRULAC', 'WEOG'] as const

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
    withdrawalEffectiveOn: z
      .string()
      .nullable()
      .describe('null while the armed-conflict proviso of Art. 20(3) holds the withdrawal back'),
    withdrawalArmedConflict: z
      .boolean()
      .describe('the state was engaged in an armed conflict when the six months expired (Art. 20(3))'),
    withdrawalPending: z
      .boolean()
      .describe('a State Party that gave notice of withdrawal, still bound until it takes effect'),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'State',
    example: {
      iso3: 'VUT',
      name: 'Vanuatu',
      unStatus: 'member',
      regionalGroup: 'Asia-Pacific',
      status: 'state_party',
      signedOn: null,
      depositedOn: '2025-09-05',
      how: 'accession',
      entryIntoForceOn: '2026-03-01',
      withdrawalNoticeOn: null,
      withdrawalEffectiveOn: null,
      withdrawalArmedConflict: false,
      withdrawalPending: false,
      version: 1,
      updatedAt: '2026-01-10T09:00:00.000Z',
    },
  })

export const listStatesQuery = paginationQuery.extend({
  status: z.enum(treatyStatuses).optional(),
  region: z.enum(regionalGroups).optional(),
  q: z.string().trim().min(1).max(100).optional().describe('part of the name; accents and case are ignored'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
})

export const statesSummaryQuery = z.object({
  asOf: isoDate.optional().describe('count as the depositary did on this day (YYYY-MM-DD); today if left out'),
})

export const statesSummarySchema = z
  .object({
    asOf: z.string(),
    total: z.number().int(),
    byStatus: z.record(z.enum(treatyStatuses), z.number().int()),
    byRegion: z.record(z.string(), z.record(z.enum(treatyStatuses), z.number().int())),
    withdrawalPending: z
      .number()
      .int()
      .describe('States Parties whose notice of withdrawal has not yet taken effect (counted as States Parties)'),
    statesPartiesByInstrument: z.object({
      ratification: z
        .number()
        .int()
        .describe('with acceptance and approval, which bind as ratification does (Art. 16(1))'),
      accession: z.number().int(),
    }),
  })
  .meta({ id: 'StatesSummary' })

export const armedConflictInput = z
  .object({
    armedConflict: z
      .boolean()
      .describe(
        'true: the state was engaged in an armed conflict when the six months expired, so the withdrawal waits; ' +
          'false: it was not (the six-month date applies)',
      ),
    effectiveOn: isoDate.optional().describe('once the armed conflict has ended: the day the withdrawal takes effect'),
  })
  .strict()
  .refine((v) => v.armedConflict || v.effectiveOn === undefined, {
    path: ['effectiveOn'],
    message: 'only with armedConflict: true; without it the withdrawal takes effect six months after the notice',
  })
  .meta({ id: 'WithdrawalArmedConflict', example: { armedConflict: true } })

export const treatyStepInput = z
  .object({
    kind: z.enum(treatyStepKinds),
    date: isoDate.describe('the date the depositary received the instrument or notice'),
    source: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe('where this is recorded, e.g. a depositary notification'),
  })
  .strict()
  .meta({
    id: 'NewTreatyStep',
    example: { kind: 'accession', date: '2025-09-05', source: 'C.N.412.2025.TREATIES-XXVI.6' },
  })

export const treatyStepSchema = z
  .object({
    id: z.number().int(),
    iso3: z.string(),
    kind: z.enum(treatyHistoryKinds),
    date: z.string(),
    source: z.string().nullable(),
    fromStatus: z.enum(treatyStatuses),
    toStatus: z.enum(treatyStatuses),
    recordedBy: z.string(),
    recordedAt: z.string(),
  })
  .meta({ id: 'TreatyStep' })
