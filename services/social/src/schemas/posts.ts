import { z } from 'zod'
import { deliveryStatuses, postStatuses } from '@ccm/events'
import { versionInput, httpUrl, paginationQuery } from '@ccm/http'
import { platforms } from '../repositories/channels.ts'

const instant = z.string().datetime({ offset: true }).describe('an instant, e.g. 2026-03-01T09:00:00+01:00')
const text = z.string().min(1).max(70_000)
const version = versionInput.optional()

const content = {
  text,
  variants: z
    .record(z.string().uuid(), z.object({ text }).strict())
    .optional()
    .describe('per-channel text, by channel id'),
  translations: z
    .record(z.string().regex(/^[a-z]{2}$/), z.object({ text }).strict())
    .optional()
    .describe('the text in other languages, for reference'),
  thread: z.array(text).max(24).optional().describe('further posts of an X thread, each a reply to the previous'),
  language: z
    .string()
    .regex(/^[a-z]{2}$/)
    .optional(),
  media: z.array(z.string().uuid()).optional().describe('ids from POST /v1/media: images only, at most 4'),
  channels: z.array(z.string().uuid()).optional(),
  scheduledAt: instant.nullable().optional(),
  timeZone: z.string().min(1).max(64).optional().describe('the IANA zone it was written in; default Europe/Zurich'),
}

const example = {
  text: 'Vanuatu joins the Convention on Cluster Munitions.',
  channels: ['0b7f7d0e-8a3c-4c52-9d6e-2f4f1f3b2a10'],
  scheduledAt: '2026-03-01T09:00:00+01:00',
  timeZone: 'Europe/Zurich',
}

export const postInput = z.object(content).strict().meta({ id: 'PostDraft', example })
export const postPatch = z
  .object({ ...content, text: text.optional(), version })
  .strict()
  .meta({ id: 'PostPatch', example: { ...example, version: 1 } })

export const deliverySchema = z
  .object({
    channelId: z.string().uuid(),
    platform: z.enum(platforms),
    status: z.enum(deliveryStatuses),
    dueAt: z.string(),
    remoteIds: z.array(z.string()).describe('the id of each post the platform created (one per post of an X thread)'),
    url: z.string().nullable(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    attemptStartedAt: z.string().nullable(),
    publishedAt: z.string().nullable(),
  })
  .meta({ id: 'Delivery' })

export const postSchema = z
  .object({
    id: z.string().uuid(),
    status: z.enum(postStatuses),
    text: z.string(),
    variants: z.record(z.string(), z.object({ text: z.string() })),
    translations: z.record(z.string(), z.object({ text: z.string() })),
    thread: z.array(z.string()),
    language: z.string(),
    media: z.array(z.string()),
    channels: z.array(z.string()),
    scheduledAt: z.string().nullable(),
    timeZone: z.string(),
    author: z.string(),
    approvedBy: z.string().nullable(),
    approvedAt: z.string().nullable(),
    editedBy: z
      .array(z.string())
      .describe(
        'who changed its text, variants, thread, media or channels since it was last approved: none of them may ' +
          'approve it',
      ),
    submitted: z
      .object({
        text: z.string(),
        variants: z.record(z.string(), z.object({ text: z.string() })),
        thread: z.array(z.string()),
        media: z.array(z.string()),
        channels: z.array(z.string()),
        submittedBy: z.string(),
        submittedAt: z.string(),
      })
      .nullable()
      .describe('its words as last submitted for approval, by whom and when: what its approver compares it with'),
    reviewNote: z.string().nullable(),
    causedByEventId: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deliveries: z.array(deliverySchema),
  })
  .meta({
    id: 'Post',
    example: {
      id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      status: 'scheduled',
      text: example.text,
      variants: {},
      translations: {},
      thread: [],
      language: 'en',
      media: [],
      channels: example.channels,
      scheduledAt: '2026-03-01T08:00:00.000Z',
      timeZone: 'Europe/Zurich',
      author: 'marie.dupont',
      approvedBy: 'jean.martin',
      approvedAt: '2026-02-27T10:00:00.000Z',
      editedBy: [],
      submitted: {
        text: example.text,
        variants: {},
        thread: [],
        media: [],
        channels: example.channels,
        submittedBy: 'marie.dupont',
        submittedAt: '2026-02-26T10:05:00.000Z',
      },
      reviewNote: null,
      causedByEventId: null,
      version: 3,
      createdAt: '2026-02-26T10:00:00.000Z',
      updatedAt: '2026-02-27T10:00:00.000Z',
      deliveries: [],
    },
  })

export const listPostsQuery = paginationQuery.extend({
  from: instant.optional().describe('scheduled at or after'),
  to: instant.optional().describe('scheduled before'),
  status: z.enum(postStatuses).optional(),
  channel: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const versionBody = z
  .object({ version })
  .strict()
  .meta({ id: 'VersionOnly', example: { version: 2 } })
export const rejectBody = z
  .object({ note: z.string().trim().min(1).max(2000), version })
  .strict()
  .meta({ id: 'Rejection', example: { note: 'Please cite the date of deposit.', version: 2 } })
export const rescheduleBody = z
  .object({ scheduledAt: instant, timeZone: content.timeZone, version })
  .strict()
  .meta({ id: 'Reschedule', example: { scheduledAt: '2026-03-02T09:00:00+01:00', timeZone: 'Europe/Zurich' } })
export const resolveBody = z
  .discriminatedUnion('outcome', [
    z
      .object({ outcome: z.literal('published'), url: httpUrl, remoteId: z.string().min(1).max(100).optional() })
      .strict(),
    z.object({ outcome: z.literal('retry') }).strict(),
  ])
  .meta({
    id: 'Resolution',
    description: 'published: a person found the post on the platform; retry: it is not there, send it again.',
    example: { outcome: 'published', url: 'https://x.com/i/web/status/1860000000000000000' },
  })

export const postIdParam = z.object({ id: z.string().uuid() })
export const deliveryParams = z.object({ id: z.string().uuid(), channelId: z.string().uuid() })
export const calendarQuery = z.object({
  from: instant.optional().describe('default: 30 days ago'),
  to: instant.optional().describe('default: 180 days ahead'),
})
