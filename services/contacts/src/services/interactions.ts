import { randomUUID } from 'node:crypto'
import { changedFields, pipelined, type Queryable } from '@ccm/db'
import type { Events, NewEvent, WriteBuffer } from '@ccm/events'
import type { Role, WriteContext } from '@ccm/http'
import { invalidInput } from '@ccm/http'
import { errors } from '../errors.ts'
import type {
  FollowUp,
  Interaction,
  InteractionFields,
  InteractionsRepository,
  MissingReferences,
} from '../repositories/interactions.ts'

type FollowUpInput = { dueOn: string; assignee: string; done: boolean }

/** What a reader may see: restricted notes are for editors and admins only. */
export function presentInteraction(interaction: Interaction, role: Role) {
  const hidden = interaction.confidentiality === 'restricted' && role === 'viewer' && interaction.notes !== null
  return { ...interaction, notes: hidden ? null : interaction.notes, notesRestricted: hidden }
}

const fieldsOf = (i: Interaction): InteractionFields => ({
  kind: i.kind,
  occurredAt: i.occurredAt,
  summary: i.summary,
  notes: i.notes,
  states: i.states,
  organizations: i.organizations,
  people: i.people,
  campaignId: i.campaignId,
  confidentiality: i.confidentiality,
})

/** Audit rows keep which fields changed, but never the text of notes. */
const auditable = (f: InteractionFields) => ({
  ...f,
  notes: f.notes === null ? null : `[${f.notes.length} characters]`,
})

export function createInteractionsService(deps: {
  interactions: InteractionsRepository
  events: Pick<Events, 'withWrites'>
}) {
  const { interactions, events } = deps

  /** Every reference must exist, and people must be live records (not merged away, not erased). */
  async function checkReferences(f: MissingReferences, client: Queryable) {
    const missing = await interactions.missingReferences(f, client)
    for (const field of ['states', 'organizations', 'people'] as const) {
      const [first] = missing[field]
      if (first !== undefined) throw invalidInput(`body.${field}.${f[field].indexOf(first)}`, `${first} does not exist`)
    }
  }

  const followUpCompleted = (
    interactionId: string,
    followUpId: string,
    ctx: WriteContext,
  ): NewEvent<'contacts.followup.completed'> => ({
    type: 'contacts.followup.completed',
    subject: followUpId,
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    data: { id: followUpId, interactionId, completedBy: ctx.actor },
  })

  /** A new follow-up's audit row and events: created, and completed too when it was stored done. */
  function followUpAdded(
    { writes, ctx }: { writes: WriteBuffer; ctx: WriteContext },
    interactionId: string,
    created: FollowUp,
    input: Partial<FollowUpInput>,
  ) {
    writes.audit({
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      entityType: 'follow_up',
      entityId: created.id,
      action: 'create',
      after: { interactionId, ...input },
    })
    writes.event({
      type: 'contacts.followup.created',
      subject: created.id,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      data: { id: created.id, interactionId, dueOn: created.dueOn, assignee: created.assignee },
    })
    if (created.done) writes.event(followUpCompleted(interactionId, created.id, ctx))
  }

  return {
    /**
     * One transaction in two round trips: the checks, the interaction with its links, its follow-up and
     * the row as stored are sent together (with BEGIN), then its audit rows and events (with COMMIT).
     * A missing reference is reported by the checks, sent first; the insert behind them is rolled back.
     */
    async log(input: InteractionFields & { followUp?: FollowUpInput }, ctx: WriteContext): Promise<Interaction> {
      return events.withWrites(async ({ client, writes }) => {
        const { followUp, ...fields } = input
        const id = randomUUID()
        const [, , created, stored] = await pipelined([
          checkReferences(fields, client),
          interactions.insert(id, fields, ctx.actor, client),
          followUp ? interactions.insertFollowUp(id, followUp, ctx.actor, client) : null,
          interactions.get(id, client),
        ])
        const logged = stored!
        writes.audit({
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          entityType: 'interaction',
          entityId: id,
          action: 'log',
          after: auditable(fields),
        })
        writes.event({
          type: 'contacts.interaction.logged',
          subject: id,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          data: {
            id,
            kind: logged.kind,
            occurredAt: logged.occurredAt,
            states: logged.states,
            organizations: logged.organizations,
            people: logged.people,
            campaignId: logged.campaignId,
            author: ctx.actor,
          },
        })
        if (created && followUp) followUpAdded({ writes, ctx }, id, created, followUp)
        return logged
      })
    },

    async update(
      id: string,
      patch: Partial<InteractionFields> & { followUp?: Partial<FollowUpInput> },
      expected: number,
      ctx: WriteContext,
    ): Promise<Interaction> {
      return events.withWrites(async ({ client, writes }) => {
        const current = await interactions.getForUpdate(id, client)
        if (!current) throw new errors.InteractionNotFound(id)
        if (current.version !== expected) throw new errors.StaleVersion(`Interaction ${id}`, current.version, expected)
        const { followUp, ...fieldPatch } = patch
        const before = fieldsOf(current)
        const next = { ...before, ...fieldPatch }
        const fields = changedFields(before, next)
        if (fields.length > 0) {
          await checkReferences(next, client)
          await interactions.update(id, next, ctx.actor, client)
          writes.audit({
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            entityType: 'interaction',
            entityId: id,
            action: 'update',
            before: auditable(before),
            after: auditable(next),
          })
          writes.event({
            type: 'contacts.interaction.updated',
            subject: id,
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            data: { id, changedFields: fields },
          })
        }
        if (followUp) {
          const was = current.followUp
          if (!was) {
            if (!followUp.dueOn) throw invalidInput('body.followUp.dueOn', 'is required for a new follow-up')
            if (!followUp.assignee) throw invalidInput('body.followUp.assignee', 'is required for a new follow-up')
            const created = await interactions.insertFollowUp(
              id,
              { dueOn: followUp.dueOn, assignee: followUp.assignee, done: followUp.done ?? false },
              ctx.actor,
              client,
            )
            followUpAdded({ writes, ctx }, id, created, followUp)
          } else {
            const beforeF = { dueOn: was.dueOn, assignee: was.assignee, done: was.done }
            const nextF = { ...beforeF, ...followUp }
            if (changedFields(beforeF, nextF).length > 0) {
              await interactions.updateFollowUp(was.id, nextF, ctx.actor, client)
              writes.audit({
                actor: ctx.actor,
                correlationId: ctx.correlationId,
                entityType: 'follow_up',
                entityId: was.id,
                action: nextF.done && !was.done ? 'complete' : 'update',
                before: beforeF,
                after: nextF,
              })
              if (nextF.done && !was.done) writes.event(followUpCompleted(id, was.id, ctx))
            }
          }
          if (fields.length === 0) await interactions.bumpVersion(id, ctx.actor, client)
        }
        return (await interactions.get(id, client))!
      })
    },
  }
}

export type InteractionsService = ReturnType<typeof createInteractionsService>
