import { z } from 'zod'
import { iso3, isoDate } from '@ccm/http'
/** A state's standing under the Convention: the one list, which contacts keeps and every other service reads. */
export const treatyStatuses = ['state_party', 'signatory', 'withdrawn', 'not_signed'] as const
export type TreatyStatus = (typeof treatyStatuses)[number]
const treatyStatus = z.enum(treatyStatuses)

/** A state as the registry holds it: what another service needs to keep its own read model. */
const stateSnapshot = z.object({
  iso3,
  name: z.string(),
  status: treatyStatus,
  unStatus: z.string(),
  regionalGroup: z.string().nullable(),
  signedOn: isoDate.nullable(),
  depositedOn: isoDate.nullable(),
  how: z.string().nullable(),
  entryIntoForceOn: isoDate.nullable(),
  withdrawalNoticeOn: isoDate.nullable(),
  withdrawalEffectiveOn: isoDate.nullable(),
})

const id = z.string().uuid()
/** Events name what changed, never its content: no note text and no personal data travels on Kafka. */
const changed = z.object({ id, changedFields: z.array(z.string()) })
export const interactionKinds = ['meeting', 'call', 'email', 'letter', 'demarche', 'event', 'other'] as const
export const organizationTypes = [
  'permanent_mission',
  'ministry',
  'international_organization',
  'ngo',
  'other',
] as const

export const contactsEvents = {
  /** Emitted once per state when the registry is seeded: the snapshot other services start from. */
  'contacts.state.registered': stateSnapshot,
  'contacts.treaty_status.changed': z.object({
    iso3,
    name: z.string(),
    from: treatyStatus,
    to: treatyStatus,
    /**
     * The step in the state's history that caused the change, and its date: a deposit, or a withdrawal
     * taking effect (`withdrawal_effective`, six months after the notice, Art. 20(3)). A notice and its
     * revocation change no status and emit nothing: the state stays a State Party meanwhile.
     */
    step: z.object({ id: z.number().int(), kind: z.string(), date: isoDate }),
    state: stateSnapshot,
    /**
     * How many States Parties there were on the step's date, counted as the depositary does (instruments
     * deposited on or before it, less withdrawals effective on or before it): for a deposit, the state's
     * number ("the 112th State Party"), even when the step is recorded late or out of order.
     */
    statesPartiesCount: z.number().int(),
  }),
  'contacts.organization.created': z.object({ id, type: z.enum(organizationTypes), country: iso3.nullable() }),
  'contacts.organization.updated': changed,
  'contacts.organization.archived': z.object({ id }),
  'contacts.person.created': z.object({ id, organizationIds: z.array(id) }),
  'contacts.person.updated': changed,
  'contacts.person.merged': z.object({ survivorId: id, mergedIds: z.array(id).min(1) }),
  /** Every service drops what it holds about this person. */
  'contacts.person.erased': z.object({ id }),
  'contacts.interaction.logged': z.object({
    id,
    kind: z.enum(interactionKinds),
    occurredAt: z.string().datetime({ offset: true }),
    states: z.array(iso3),
    organizations: z.array(id),
    people: z.array(id),
    campaignId: id.nullable(),
    author: z.string(),
  }),
  'contacts.interaction.updated': changed,
  'contacts.followup.created': z.object({ id, interactionId: id, dueOn: isoDate, assignee: z.string() }),
  'contacts.followup.completed': z.object({ id, interactionId: id, completedBy: z.string() }),
} as const
