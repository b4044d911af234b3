import { z } from 'zod'
import { offsetQuery } from '@ccm/http'
import { isRealDate } from '../services/treaty-rules.ts'

export const idParam = z.object({ id: z.string().uuid('must be a UUID') })
export const isoDate = z.string().refine(isRealDate, 'must be a calendar date, YYYY-MM-DD')
// toUpperCase keeps it a string in the OpenAPI document (a transform there is `{}`, any value).
export const iso3 = z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 3166-1 alpha-3 code').toUpperCase()
export const tag = z.string().trim().min(1).max(60)
export const tags = z.array(tag).max(50)
export const version = z.number().int().min(1).describe('the version you read; or send it as If-Match')
export const languages = ['en', 'fr', 'es', 'ar', 'ru', 'zh'] as const

/** `?archived=true` and `?archived=false`, not JavaScript's idea that any non-empty string is true. */
export const booleanQuery = z.enum(['true', 'false']).transform((s) => s === 'true')

export const timelineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: offsetQuery,
})

export const timelineEntrySchema = z
  .object({
    kind: z.enum(['interaction', 'treaty_step', 'affiliation_started', 'affiliation_ended']),
    at: z.string().describe('when it happened: an instant for interactions, a date for the rest'),
    id: z.string(),
    title: z.string(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({
    id: 'TimelineEntry',
    example: { kind: 'treaty_step', at: '2025-09-05', id: '812', title: 'accession', detail: { fromStatus: 'not_signed', toStatus: 'state_party' } },
  })
