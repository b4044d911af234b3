import { z } from 'zod'

const id = z.string().uuid()

// The social service's events; its issue fills in the details of each.
const post = z.object({ id, channels: z.array(id) })

export const socialEvents = {
  'social.post.submitted': post,
  'social.post.approved': post,
  'social.post.scheduled': post.extend({ scheduledAt: z.string().datetime({ offset: true }) }),
  'social.post.published': post,
  'social.post.failed': post,
  'social.post.unconfirmed': post,
  'social.post.cancelled': post,
} as const
