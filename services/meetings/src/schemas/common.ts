import { z } from 'zod'

export const meetingIdParam = z.object({ id: z.string().uuid('must be a meeting id (a UUID)') })
export const delegationParams = meetingIdParam.extend({
  delegationId: z.string().uuid('must be a delegation id (a UUID)'),
})
export const applicationParams = meetingIdParam.extend({
  applicationId: z.string().uuid('must be an application id (a UUID)'),
})
export const personId = z.string().uuid('must be a contacts person id (a UUID)')
/** A name as given at registration: contacts' events carry none. */
export const personName = z.string().trim().min(1).max(300)

/** What every updatable record says about itself: its version, and who wrote it when. */
export const recordStamps = {
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}
