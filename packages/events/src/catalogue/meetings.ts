import { z } from 'zod'
import { iso3, isoDate } from '@ccm/http'

const id = z.string().uuid()

export const meetingKinds = [
  'msp',
  'review_conference',
  'intersessional',
  'coordination_committee',
  'working_group',
  'workshop',
  'other',
] as const
/** How a delegation takes part: a state's from its treaty status on the meeting's first day. */
export const delegationCapacities = [
  'state_party',
  'signatory',
  'observer_state',
  'international_organization',
  'ngo',
  'other',
] as const
export const sponsorshipDecisions = ['approved', 'waitlisted', 'declined'] as const

/** A delegation as the events name it: a state (ISO3) or an organisation (contacts' id), never a person. */
const delegation = z.object({
  delegationId: id,
  meetingId: id,
  iso3: iso3.nullable(),
  organizationId: id.nullable(),
  capacity: z.enum(delegationCapacities),
})

/** Events carry ids and counts: no person's id or name travels, so an erasure leaves nothing on the topic. */
export const meetingsEvents = {
  'meetings.meeting.scheduled': z.object({
    id,
    kind: z.enum(meetingKinds),
    number: z.number().int().nullable(),
    title: z.string(),
    startsOn: isoDate.nullable(),
    endsOn: isoDate.nullable(),
  }),
  /** Keyed by the state's ISO3 where a state registers, else by the meeting. */
  'meetings.delegation.registered': delegation,
  /** A delegation attended on `day` (some of its members did); keyed by ISO3 where a state is concerned. */
  'meetings.attendance.recorded': delegation.extend({
    meetingTitle: z.string(),
    day: isoDate,
    attendees: z.number().int().min(1),
  }),
  'meetings.sponsorship.decided': z.object({
    applicationId: id,
    meetingId: id,
    iso3,
    decision: z.enum(sponsorshipDecisions),
  }),
} as const
