import { changedFields, type Queryable } from '@ccm/db'
import type { Events } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import { invalidInput } from '@ccm/http'
import { errors } from '../errors.ts'
import type { Organization, OrganizationFields, OrganizationsRepository } from '../repositories/organizations.ts'
import type { StatesRepository } from '../repositories/states.ts'

/** Missions and ministries speak for a state, so they must say which. */
const needsCountry = new Set(['permanent_mission', 'ministry'])

const fieldsOf = (o: Organization): OrganizationFields => ({
  type: o.type,
  name: o.name,
  shortName: o.shortName,
  country: o.country,
  website: o.website,
  tags: o.tags,
})

type Input = Partial<OrganizationFields>

export function createOrganizationsService(deps: {
  organizations: OrganizationsRepository
  states: StatesRepository
  events: Pick<Events, 'withWrites'>
}) {
  const { organizations, states, events } = deps

  async function checkCountry(fields: OrganizationFields, client: Queryable) {
    if (needsCountry.has(fields.type) && !fields.country)
      throw invalidInput('body.country', `is required for a ${fields.type.replace('_', ' ')}`)
    if (fields.country && !(await states.get(fields.country, client)))
      throw invalidInput('body.country', `no state with ISO3 code ${fields.country}`)
  }

  async function lockCurrent(id: string, expected: number | undefined, client: Queryable) {
    const current = await organizations.getForUpdate(id, client)
    if (!current) throw new errors.OrganizationNotFound(id)
    if (expected !== undefined && current.version !== expected)
      throw new errors.StaleVersion(`Organisation ${id}`, current.version, expected)
    return current
  }

  return {
    async create(input: OrganizationFields, ctx: WriteContext): Promise<Organization> {
      return events.withWrites(async ({ client, writes }) => {
        await checkCountry(input, client)
        const created = await organizations.insert(input, ctx.actor, client)
        writes.audit({ ...audit(ctx, created.id, 'create'), after: fieldsOf(created) })
        writes.event({
          type: 'contacts.organization.created',
          subject: created.id,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          data: { id: created.id, type: created.type, country: created.country },
        })
        return created
      })
    },

    async update(id: string, patch: Input, expected: number, ctx: WriteContext): Promise<Organization> {
      return events.withWrites(async ({ client, writes }) => {
        const current = await lockCurrent(id, expected, client)
        const next = { ...fieldsOf(current), ...patch }
        await checkCountry(next, client)
        const fields = changedFields(fieldsOf(current), next)
        if (fields.length === 0) return current
        const updated = await organizations.update(id, next, ctx.actor, client)
        writes.audit({ ...audit(ctx, id, 'update'), before: fieldsOf(current), after: fieldsOf(updated) })
        writes.event({
          type: 'contacts.organization.updated',
          subject: id,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          data: { id, changedFields: fields },
        })
        return updated
      })
    },

    async archive(id: string, expected: number | undefined, ctx: WriteContext): Promise<Organization> {
      return events.withWrites(async ({ client, writes }) => {
        const current = await lockCurrent(id, expected, client)
        if (current.archived) return current
        const archived = await organizations.archive(id, ctx.actor, client)
        writes.audit({ ...audit(ctx, id, 'archive'), before: { archived: false }, after: { archived: true } })
        writes.event({
          type: 'contacts.organization.archived',
          subject: id,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          data: { id },
        })
        return archived
      })
    },
  }
}

const audit = (ctx: WriteContext, entityId: string, action: string) => ({
  actor: ctx.actor,
  correlationId: ctx.correlationId,
  entityType: 'organization',
  entityId,
  action,
})

export type OrganizationsService = ReturnType<typeof createOrganizationsService>
