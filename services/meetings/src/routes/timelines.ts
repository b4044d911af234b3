import type { HttpApp } from '@ccm/http'
import { iso3, problemSchema } from '@ccm/http'
import { z } from 'zod'
import { personId } from '../schemas/common.ts'

const tags = ['timelines']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema }
const entry = z
  .object({
    meetingId: z.string().uuid(),
    title: z.string(),
    kind: z.string(),
    startsOn: z.string().nullable(),
    endsOn: z.string().nullable(),
    delegationId: z.string().uuid(),
    delegation: z.string(),
    capacity: z.string(),
    function: z.string().nullable(),
    attended: z.array(z.string()),
    members: z.number().int().nullable(),
  })
  .meta({ id: 'MeetingTimelineEntry' })
const timeline = z.object({ items: z.array(entry) })

/** The meetings-side timeline the console merges with contacts' interactions: latest meeting first. */
export default async function timelinesRoutes(app: HttpApp) {
  const { people } = app.meetings

  app.get(
    '/v1/people/:id/meetings',
    {
      schema: {
        operationId: 'listPersonMeetings',
        tags,
        summary: 'The meetings a person (contacts id) was registered for, their function and days attended',
        params: z.object({ id: personId }),
        response: { 200: timeline, ...problems },
      },
    },
    async (request) => ({ items: await people.meetingsOfPerson(request.params.id) }),
  )

  app.get(
    '/v1/states/:iso3/meetings',
    {
      schema: {
        operationId: 'listStateMeetings',
        tags,
        summary: 'The meetings a state sent a delegation to, its capacity there and the days it attended',
        params: z.object({ iso3 }),
        response: { 200: timeline, ...problems },
      },
    },
    async (request) => ({ items: await people.meetingsOfState(request.params.iso3) }),
  )
}
