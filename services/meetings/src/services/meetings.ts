import { randomUUID } from 'node:crypto'
import { changedFields } from '@ccm/db'
import type { Events, WriteBuffer } from '@ccm/events'
import { invalidInput, type WriteContext } from '@ccm/http'
import { assertVersion, errors } from '../errors.ts'
import type { Meeting, MeetingFields, MeetingsRepository } from '../repositories/meetings.ts'

export type NewMeeting = Pick<MeetingFields, 'kind' | 'title'> & Partial<MeetingFields>

const fieldsOf = (m: Meeting): MeetingFields => {
  const { kind, number, title, city, country, startsOn, endsOn, presidingIso3, status, registrationDeadline } = m
  return { kind, number, title, city, country, startsOn, endsOn, presidingIso3, status, registrationDeadline }
}

function checkDates(fields: MeetingFields): void {
  if (fields.startsOn && fields.endsOn && fields.endsOn < fields.startsOn) {
    throw invalidInput('body.endsOn', `must not be before startsOn (${fields.endsOn} is before ${fields.startsOn})`)
  }
  if (fields.endsOn && !fields.startsOn) throw invalidInput('body.startsOn', 'is needed with endsOn')
}

/** The audit row and event of a meeting's creation, whoever creates it (a person, or the seed). */
export function meetingScheduled(writes: WriteBuffer, meeting: Meeting, ctx: WriteContext): void {
  writes.audit({
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    entityType: 'meeting',
    entityId: meeting.id,
    action: 'meeting.created',
    before: null,
    after: { ...fieldsOf(meeting) },
  })
  writes.event({
    type: 'meetings.meeting.scheduled',
    subject: meeting.id,
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    data: {
      id: meeting.id,
      kind: meeting.kind,
      number: meeting.number,
      title: meeting.title,
      startsOn: meeting.startsOn,
      endsOn: meeting.endsOn,
    },
  })
}

export function createMeetingsService(deps: { meetings: MeetingsRepository; events: Pick<Events, 'withWrites'> }) {
  const { meetings, events } = deps
  return {
    async create(input: NewMeeting, ctx: WriteContext): Promise<Meeting> {
      const fields: MeetingFields = {
        number: null,
        city: null,
        country: null,
        startsOn: null,
        endsOn: null,
        presidingIso3: null,
        status: 'planned',
        registrationDeadline: null,
        ...input,
      }
      checkDates(fields)
      return events.withWrites(async ({ client, writes }) => {
        const meeting = (await meetings.insert({ ...fields, id: randomUUID(), code: null }, ctx.actor, client))!
        meetingScheduled(writes, meeting, ctx)
        return meeting
      })
    },

    async update(id: string, patch: Partial<MeetingFields>, version: number | undefined, ctx: WriteContext) {
      return events.withWrites(async ({ client, writes }) => {
        const before = await meetings.getForUpdate(id, client)
        if (!before) throw new errors.MeetingNotFound(id)
        assertVersion('The meeting', before.version, version)
        const fields = { ...fieldsOf(before), ...patch }
        checkDates(fields)
        if (changedFields({ ...fieldsOf(before) }, { ...fields }).length === 0) return before
        const after = await meetings.update(id, fields, ctx.actor, client)
        writes.audit({
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          entityType: 'meeting',
          entityId: id,
          action: 'meeting.updated',
          before: { ...fieldsOf(before) },
          after: { ...fields },
        })
        return after
      })
    },
  }
}

export type MeetingsService = ReturnType<typeof createMeetingsService>
