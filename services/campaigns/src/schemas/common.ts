import { z } from 'zod'
import { isRealDate } from '../services/dates.ts'

export const isoDate = z.string().refine(isRealDate, 'must be a calendar date, YYYY-MM-DD')
export const iso3 = z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 3166-1 alpha-3 code').transform((s) => s.toUpperCase())
export const regionalGroups = ['African', 'Asia-Pacific', 'Eastern European', 'GRULAC', 'WEOG'] as const
export const treatyStatuses = ['state_party', 'signatory', 'withdrawn', 'not_signed'] as const

export const campaignIdParam = z.object({ id: z.string().uuid('must be a campaign id (a UUID)') })
export const targetParams = campaignIdParam.extend({ iso3 })

export const version = z.number().int().min(1).optional().describe('the version you read; a stale one gets 409 (or send If-Match)')

/** What every updatable record says about itself: its version, and who wrote it when. */
export const recordStamps = {
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}
