import type { HttpApp } from '@ccm/http'
import { problemSchema } from '@ccm/http'
import ical from 'ical-generator'
import { z } from 'zod'
import { calendarQuery } from '../schemas/posts.ts'

const DAY_MS = 86_400_000
/** A post is an instant; calendars show it as a short slot. */
const SLOT_MS = 15 * 60_000

export default async function calendarRoutes(app: HttpApp) {
  const { posts, channels } = app.social

  app.get(
    '/v1/calendar.ics',
    {
      schema: {
        operationId: 'getPostsCalendar',
        tags: ['posts'],
        summary: 'An iCalendar (RFC 5545) feed of scheduled posts',
        querystring: calendarQuery,
        produces: ['text/calendar'],
        response: { 200: z.string().describe('text/calendar'), 400: problemSchema, 401: problemSchema },
      },
    },
    async (request, reply) => {
      const from = request.query.from ?? new Date(Date.now() - 30 * DAY_MS).toISOString()
      const to = request.query.to ?? new Date(Date.now() + 180 * DAY_MS).toISOString()
      const [list, all] = await Promise.all([posts.calendar(from, to), channels.list()])
      const names = new Map(all.map((c) => [c.id, `${c.name} (${c.platform === 'x' ? 'X' : 'Facebook'})`]))
      const calendar = ical({
        name: 'ISU-CCM social posts',
        prodId: { company: 'ISU-CCM', product: 'social', language: 'EN' },
      })
      for (const post of list) {
        const start = new Date(post.scheduledAt!)
        const summary = post.text.length > 60 ? `${post.text.slice(0, 59)}…` : post.text
        calendar.createEvent({
          id: `${post.id}@social.ccm`,
          start,
          end: new Date(start.getTime() + SLOT_MS),
          stamp: new Date(post.updatedAt),
          summary: `[${post.status}] ${summary}`,
          description:
            `${post.text}\n\n` +
            `Channels: ${post.channels.map((c) => names.get(c) ?? c).join(', ')}\nWritten in ${post.timeZone}`,
        })
      }
      return reply.type('text/calendar; charset=utf-8').send(calendar.toString())
    },
  )
}
