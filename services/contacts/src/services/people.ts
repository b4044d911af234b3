import { changedFields, type Db, type Queryable } from '@ccm/db'
import type { Events } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import { invalidInput } from '@ccm/http'
import { errors } from '../errors.ts'
import type { OrganizationsRepository } from '../repositories/organizations.ts'
import {
  personFieldsOf,
  type AffiliationFields,
  type PeopleRepository,
  type Person,
  type PersonFields,
} from '../repositories/people.ts'

const isUniqueViolation = (error: unknown, constraint: string) =>
  (error as { code?: string; constraint?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === constraint

export function createPeopleService(deps: {
  db: Db
  people: PeopleRepository
  organizations: OrganizationsRepository
  events: Pick<Events, 'withWrites'>
}) {
  const { db, people, organizations, events } = deps

  /** The person, or the reason they are not there: merged (404 naming the survivor), erased (410), unknown (404). */
  async function require(id: string, client: Queryable = db, forUpdate = false): Promise<Person> {
    const person = forUpdate ? await people.getForUpdate(id, client) : await people.get(id, client)
    if (person) return person
    const { mergedInto, erased } = await people.whyMissing(id, client)
    if (erased) throw new errors.PersonErased(id)
    if (mergedInto) throw new errors.PersonMerged(id, mergedInto)
    throw new errors.PersonNotFound(id)
  }

  async function requireOrganizations(ids: string[], field: (index: number) => string, client: Queryable) {
    const found = await organizations.existing(ids, client)
    const missing = ids.findIndex((id) => !found.has(id))
    if (missing >= 0) throw invalidInput(field(missing), `no organisation with id ${ids[missing]}`)
  }

  /**
   * Primary addresses are unique; the database says so, and this says which one and whose it is, so
   * the client can offer to open that person (read outside the failed transaction).
   */
  async function guardEmails<T>(emails: string[], work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if (!isUniqueViolation(error, 'person_emails_primary')) throw error
      const email = emails[0] ?? ''
      const holderId = (await people.byPrimaryEmail([email])).get(email.toLowerCase())
      const holder = holderId ? await people.get(holderId) : null
      if (!holder) throw error
      const taken = new errors.EmailTaken(email, `${holder.givenName} ${holder.familyName}`, holder.id)
      throw Object.assign(taken, {
        problem: { person: { id: holder.id, givenName: holder.givenName, familyName: holder.familyName } },
      })
    }
  }

  const audit = (ctx: WriteContext, entityType: string, entityId: string, action: string) => ({
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    entityType,
    entityId,
    action,
  })

  async function lockVersion(id: string, expected: number, client: Queryable) {
    const current = await require(id, client, true)
    if (current.version !== expected) throw new errors.StaleVersion(`Person ${id}`, current.version, expected)
    return current
  }

  const updatedEvent = (id: string, fields: string[], ctx: WriteContext) => ({
    type: 'contacts.person.updated' as const,
    subject: id,
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    data: { id, changedFields: fields },
  })

  return {
    require,

    async create(input: PersonFields & { affiliations: AffiliationFields[] }, ctx: WriteContext): Promise<Person> {
      return events.withWrites(async ({ client, writes }) => {
        const { affiliations, ...fields } = input
        await requireOrganizations(
          affiliations.map((a) => a.organizationId),
          (i) => `body.affiliations.${i}.organizationId`,
          client,
        )
        const id = await guardEmails(fields.emails, () => people.insert(fields, ctx.actor, client))
        for (const affiliation of affiliations) await people.addAffiliation(id, affiliation, ctx.actor, client)
        writes.audit({ ...audit(ctx, 'person', id, 'create'), after: { ...fields, affiliations } })
        writes.event({
          type: 'contacts.person.created',
          subject: id,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          data: { id, organizationIds: [...new Set(affiliations.map((a) => a.organizationId))] },
        })
        return require(id, client)
      })
    },

    async update(id: string, patch: Partial<PersonFields>, expected: number, ctx: WriteContext): Promise<Person> {
      return events.withWrites(async ({ client, writes }) => {
        const current = await lockVersion(id, expected, client)
        const before = personFieldsOf(current)
        const next = { ...before, ...patch }
        const fields = changedFields(before, next)
        if (fields.length === 0) return current
        await guardEmails(next.emails, async () => {
          await people.update(id, next, ctx.actor, client)
          if (fields.includes('emails')) await people.setEmails(id, next.emails, client)
        })
        writes.audit({ ...audit(ctx, 'person', id, 'update'), before, after: next })
        writes.event(updatedEvent(id, fields, ctx))
        return require(id, client)
      })
    },

    async addAffiliation(personId: string, input: AffiliationFields, ctx: WriteContext): Promise<Person> {
      return events.withWrites(async ({ client, writes }) => {
        await require(personId, client, true)
        await requireOrganizations([input.organizationId], () => 'body.organizationId', client)
        const affiliationId = await people.addAffiliation(personId, input, ctx.actor, client)
        await people.bumpVersion(personId, ctx.actor, client)
        writes.audit({ ...audit(ctx, 'person', personId, 'affiliation.create'), after: { affiliationId, ...input } })
        writes.event(updatedEvent(personId, ['affiliations'], ctx))
        return require(personId, client)
      })
    },

    async updateAffiliation(
      personId: string,
      affiliationId: string,
      patch: Partial<AffiliationFields>,
      expected: number,
      ctx: WriteContext,
    ): Promise<Person> {
      return events.withWrites(async ({ client, writes }) => {
        await require(personId, client, true)
        const current = await people.getAffiliationForUpdate(personId, affiliationId, client)
        if (!current) throw new errors.AffiliationNotFound(affiliationId)
        if (current.version !== expected)
          throw new errors.StaleVersion(`Affiliation ${affiliationId}`, current.version, expected)
        const { id: _id, version: _version, ...before } = current
        const next = { ...before, ...patch }
        if (next.startDate && next.endDate && next.endDate < next.startDate)
          throw invalidInput('body.endDate', 'must not be before startDate')
        if (patch.organizationId)
          await requireOrganizations([patch.organizationId], () => 'body.organizationId', client)
        if (changedFields(before, next).length === 0) return require(personId, client)
        await people.updateAffiliation(personId, affiliationId, next, client)
        await people.bumpVersion(personId, ctx.actor, client)
        // Filed under the person, so an erasure finds and scrubs it with the rest of their record.
        writes.audit({ ...audit(ctx, 'person', personId, `affiliation.update.${affiliationId}`), before, after: next })
        writes.event(updatedEvent(personId, ['affiliations'], ctx))
        return require(personId, client)
      })
    },
  }
}

export type PeopleService = ReturnType<typeof createPeopleService>
