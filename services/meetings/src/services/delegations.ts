import { randomUUID } from 'node:crypto'
import type { Events, WriteTransaction } from '@ccm/events'
import { invalidInput, type WriteContext } from '@ccm/http'
import { assertVersion, errors } from '../errors.ts'
import type {
  Capacity,
  Delegation,
  DelegationsRepository,
  MemberFunction,
  Participant,
} from '../repositories/delegations.ts'
import type { Meeting, MeetingsRepository } from '../repositories/meetings.ts'
import type { StatesRepository } from '../repositories/states.ts'
import { capacityDay, capacityOn } from './capacity.ts'
import { today } from './dates.ts'

export type NewDelegation =
  | { iso3: string; credentialsReceivedOn?: string }
  | {
      organizationId: string
      name: string
      type: Extract<Capacity, 'international_organization' | 'ngo' | 'other'>
      credentialsReceivedOn?: string
    }
export interface NewMember {
  personId: string
  name: string
  function: MemberFunction
}

interface Deps {
  meetings: MeetingsRepository
  delegations: DelegationsRepository
  states: StatesRepository
  events: Pick<Events, 'withWrites'>
}

/** The key of a delegation's events: the state's ISO3 where a state is concerned, so its events stay in order. */
const subjectOf = (d: Delegation) => d.iso3 ?? d.meetingId
const delegationData = (d: Delegation) => ({
  delegationId: d.id,
  meetingId: d.meetingId,
  iso3: d.iso3,
  organizationId: d.organizationId,
  capacity: d.capacity,
})

export function createDelegationsService(deps: Deps) {
  const { meetings, delegations, states, events } = deps

  async function meetingOf(id: string, tx: WriteTransaction): Promise<Meeting> {
    const meeting = await meetings.get(id, tx.client)
    if (!meeting) throw new errors.MeetingNotFound(id)
    return meeting
  }

  async function delegationOf(meetingId: string, id: string, tx: WriteTransaction): Promise<Delegation> {
    const delegation = await delegations.getForUpdate(meetingId, id, tx.client)
    if (!delegation) throw new errors.DelegationNotFound(id)
    return delegation
  }

  /** Who the delegation is, and in what capacity: a state's from the read model on the meeting's first day. */
  async function identify(meeting: Meeting, input: NewDelegation, tx: WriteTransaction) {
    if ('organizationId' in input) {
      return { iso3: null, organizationId: input.organizationId, name: input.name, capacity: input.type, region: null }
    }
    const day = capacityDay(meeting, today())
    const state = await states.onDay(input.iso3, day, tx.client)
    if (!state) throw invalidInput('body.iso3', `${input.iso3} is not in the registry of states (yet)`)
    return {
      iso3: state.iso3,
      organizationId: null,
      name: state.name,
      capacity: capacityOn(state, day),
      region: state.regionalGroup,
    }
  }

  function audit(tx: WriteTransaction, ctx: WriteContext, entity: string, id: string, action: string, after: object) {
    tx.writes.audit({
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      entityType: entity,
      entityId: id,
      action,
      before: null,
      after: { ...after },
    })
  }

  return {
    async register(meetingId: string, input: NewDelegation, ctx: WriteContext): Promise<Delegation> {
      return events.withWrites(async (tx) => {
        const meeting = await meetingOf(meetingId, tx)
        const who = await identify(meeting, input, tx)
        const delegation = await delegations.insert(
          {
            id: randomUUID(),
            meetingId,
            iso3: who.iso3,
            organizationId: who.organizationId,
            name: who.name,
            capacity: who.capacity,
            regionalGroup: who.region,
            credentialsReceivedOn: input.credentialsReceivedOn ?? null,
          },
          ctx.actor,
          tx.client,
        )
        if (!delegation) throw new errors.AlreadyRegistered(`${who.name} has a delegation at this meeting already`)
        audit(tx, ctx, 'delegation', delegation.id, 'delegation.registered', delegationData(delegation))
        tx.writes.event({
          type: 'meetings.delegation.registered',
          subject: subjectOf(delegation),
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          data: delegationData(delegation),
        })
        return delegation
      })
    },

    async setCredentials(
      meetingId: string,
      id: string,
      on: string | null,
      version: number | undefined,
      ctx: WriteContext,
    ): Promise<Delegation> {
      return events.withWrites(async (tx) => {
        const before = await delegationOf(meetingId, id, tx)
        assertVersion('The delegation', before.version, version)
        const after = await delegations.setCredentials(id, on, ctx.actor, tx.client)
        tx.writes.audit({
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          entityType: 'delegation',
          entityId: id,
          action: 'delegation.credentials',
          before: { credentialsReceivedOn: before.credentialsReceivedOn },
          after: { credentialsReceivedOn: on },
        })
        return (await delegations.get(meetingId, id, tx.client)) ?? after
      })
    },

    /** Registers members; a person registered for the meeting already (in any delegation) is a 409 naming them. */
    async addMembers(meetingId: string, id: string, members: NewMember[], ctx: WriteContext): Promise<Participant[]> {
      const seen = new Set<string>()
      members.forEach((m, i) => {
        if (seen.has(m.personId)) throw invalidInput(`body.members.${i}.personId`, 'appears twice in the list')
        seen.add(m.personId)
      })
      return events.withWrites(async (tx) => {
        const delegation = await delegationOf(meetingId, id, tx)
        const { added, alreadyRegistered } = await delegations.addParticipants(
          delegation,
          members.map((m) => ({ ...m, id: randomUUID() })),
          ctx.actor,
          tx.client,
        )
        if (alreadyRegistered.length > 0) {
          throw new errors.AlreadyRegistered(
            `already registered for this meeting: ${alreadyRegistered.join(', ')}; nothing was added`,
          )
        }
        for (const p of added) {
          audit(tx, ctx, 'participant', p.id, 'participant.registered', {
            delegationId: id,
            personId: p.personId,
            name: p.name,
            function: p.function,
          })
        }
        return added
      })
    },

    /** Records that these members attended on `day`; one event for the delegation's day, keyed by its state. */
    async recordAttendance(
      meetingId: string,
      id: string,
      input: { day: string; personIds: string[] },
      ctx: WriteContext,
    ): Promise<{ day: string; attendees: number }> {
      return events.withWrites(async (tx) => {
        const meeting = await meetingOf(meetingId, tx)
        if (meeting.startsOn && meeting.endsOn && (input.day < meeting.startsOn || input.day > meeting.endsOn)) {
          throw invalidInput('body.day', `must fall within the meeting (${meeting.startsOn} to ${meeting.endsOn})`)
        }
        const delegation = await delegationOf(meetingId, id, tx)
        const { members } = await delegations.recordAttendance(id, input.personIds, input.day, ctx.actor, tx.client)
        const strangers = input.personIds.filter((p) => !members.includes(p))
        if (strangers.length > 0) {
          throw invalidInput('body.personIds', `not members of this delegation: ${strangers.join(', ')}`)
        }
        audit(tx, ctx, 'delegation', id, 'attendance.recorded', { day: input.day, attendees: members.length })
        tx.writes.event({
          type: 'meetings.attendance.recorded',
          subject: subjectOf(delegation),
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          data: {
            ...delegationData(delegation),
            meetingTitle: meeting.title,
            day: input.day,
            attendees: members.length,
          },
        })
        return { day: input.day, attendees: members.length }
      })
    },
  }
}

export type DelegationsService = ReturnType<typeof createDelegationsService>
