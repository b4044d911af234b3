import { z } from 'zod'

const id = z.string().uuid()
const instant = z.string().datetime({ offset: true })

export const deliveryStatuses = [
  'scheduled',
  'publishing',
  'published',
  'failed',
  'unconfirmed',
  'cancelled',
  'missed',
] as const
/** A post is in review, or approved, or where its deliveries have got to (see the lifecycle in social). */
export const postStatuses = ['draft', 'submitted', 'approved', ...deliveryStatuses] as const

/** Events carry a post's identity and workflow facts, never its credentials. */
const post = z.object({
  id,
  channels: z.array(id),
  status: z.enum(postStatuses),
  /** Who authored it: a person's id, or `system:social` for a drafted announcement. */
  author: z.string(),
})

/** Where each channel's delivery stands once the scheduler has settled it. */
const delivery = z.object({
  channelId: id,
  platform: z.enum(['x', 'facebook']),
  status: z.enum(deliveryStatuses),
  remoteIds: z.array(z.string()),
  url: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
})

const settled = post.extend({ deliveries: z.array(delivery) })

export const socialEvents = {
  'social.post.submitted': post.extend({
    /** The milestone event it announces, when drafted from one. */
    causedByEventId: id.nullable(),
  }),
  'social.post.approved': post.extend({ approvedBy: z.string() }),
  'social.post.scheduled': post.extend({ scheduledAt: instant, timeZone: z.string() }),
  'social.post.published': settled,
  'social.post.failed': settled,
  /** A platform call whose outcome is unknown: a person must settle it; it is never re-sent on its own. */
  'social.post.unconfirmed': settled,
  'social.post.cancelled': post,
} as const
