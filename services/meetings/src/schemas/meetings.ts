import { z } from 'zod'
import { httpUrl, iso3, isoDate, paginationQuery, versionInput } from '@ccm/http'
import { meetingKinds, meetingStatuses } from '../repositories/meetings.ts'
import { documentKinds } from '../repositories/documents.ts'
import { recordStamps } from './common.ts'

const fields = {
  kind: z.enum(meetingKinds),
  number: z.number().int().min(1).max(1000).nullable().describe('13 for the 13th Meeting of States Parties'),
  title: z.string().trim().min(1).max(500),
  city: z.string().trim().min(1).max(200).nullable(),
  country: iso3.nullable().describe('where it is held (ISO3)'),
  startsOn: isoDate.nullable(),
  endsOn: isoDate.nullable(),
  presidingIso3: iso3.nullable().describe('the state presiding'),
  status: z.enum(meetingStatuses),
  registrationDeadline: isoDate.nullable(),
}

const example = {
  kind: 'msp',
  number: 13,
  title: 'Thirteenth Meeting of States Parties',
  city: 'Geneva',
  country: 'CHE',
  startsOn: '2025-09-16',
  endsOn: '2025-09-19',
  presidingIso3: 'PHL',
  status: 'held',
  registrationDeadline: null,
}

export const meetingInput = z
  .object({
    kind: fields.kind,
    title: fields.title,
    number: fields.number.optional(),
    city: fields.city.optional(),
    country: fields.country.optional(),
    startsOn: fields.startsOn.optional(),
    endsOn: fields.endsOn.optional(),
    presidingIso3: fields.presidingIso3.optional(),
    status: fields.status.optional(),
    registrationDeadline: fields.registrationDeadline.optional(),
  })
  .strict()
  .meta({ id: 'NewMeeting', example })

export const meetingPatch = z
  .object({
    kind: fields.kind.optional(),
    number: fields.number.optional(),
    title: fields.title.optional(),
    city: fields.city.optional(),
    country: fields.country.optional(),
    startsOn: fields.startsOn.optional(),
    endsOn: fields.endsOn.optional(),
    presidingIso3: fields.presidingIso3.optional(),
    status: fields.status.optional(),
    registrationDeadline: fields.registrationDeadline.optional(),
    version: versionInput.optional(),
  })
  .strict()
  .meta({ id: 'MeetingChanges', example: { status: 'registration_open', version: 1 } })

export const meetingSchema = z
  .object({ id: z.string().uuid(), code: z.string().nullable(), ...fields, ...recordStamps })
  .meta({
    id: 'Meeting',
    example: {
      id: '0b9f7c1e-2d4a-4f6b-9a3c-5e8d7f1a2b3c',
      code: '13MSP',
      ...example,
      version: 1,
      createdAt: '2026-01-05T09:00:00.000Z',
      createdBy: 'meetings-seed',
      updatedAt: '2026-01-05T09:00:00.000Z',
      updatedBy: 'meetings-seed',
    },
  })

export const listMeetingsQuery = paginationQuery.extend({
  kind: z.enum(meetingKinds).optional(),
  status: z.enum(meetingStatuses).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('the year it starts'),
})

export const documentInput = z
  .object({
    symbol: z.string().trim().min(1).max(100).describe('the UN document symbol'),
    title: z.string().trim().min(1).max(500),
    kind: z.enum(documentKinds),
    languages: z
      .array(z.object({ language: z.string().regex(/^[a-z]{2}$/, 'must be an ISO 639-1 code'), url: httpUrl }))
      .max(10)
      .default([]),
  })
  .strict()
  .meta({
    id: 'NewDocument',
    example: {
      symbol: 'CCM/MSP/2025/1',
      title: 'Provisional agenda',
      kind: 'agenda',
      languages: [{ language: 'en', url: 'https://www.clusterconvention.org/documents/ccm-msp-2025-1-en.pdf' }],
    },
  })

export const documentSchema = z
  .object({
    id: z.string().uuid(),
    meetingId: z.string().uuid(),
    symbol: z.string(),
    title: z.string(),
    kind: z.enum(documentKinds),
    languages: z.array(z.object({ language: z.string(), url: z.string() })),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'MeetingDocument' })
