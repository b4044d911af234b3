import { z } from 'zod'
import { iso3 } from '@ccm/http'
export const regionalGroups = ['African', 'Asia-Pacific', 'Eastern European', 'GRULAC', 'WEOG'] as const

export const campaignIdParam = z.object({ id: z.string().uuid('must be a campaign id (a UUID)') })
export const targetParams = campaignIdParam.extend({ iso3 })

/** What every updatable record says about itself: its version, and who wrote it when. */
export const recordStamps = {
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}
