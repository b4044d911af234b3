import { z } from 'zod'
import { offsetQuery } from '@ccm/http'

export const idParam = z.object({ id: z.string().uuid('must be a UUID') })
export const tag = z.string().trim().min(1).max(60)
export const tags = z.array(tag).max(50)
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
    example: {
      kind: 'treaty_step',
      at: '2025-09-05',
      id: '812',
      title: 'accession',
      detail: { fromStatus: 'not_signed', toStatus: 'state_party' },
    },
  })
