import { randomUUID } from 'node:crypto'
import { changedFields } from '@ccm/db'
import type { Events } from '@ccm/events'
import { invalidInput, type WriteContext } from '@ccm/http'
import { assertVersion, errors } from '../errors.ts'
import type { Campaign, CampaignFields, CampaignsRepository } from '../repositories/campaigns.ts'
import type { CampaignStatus } from './stage-rules.ts'

export type NewCampaign = Omit<
  CampaignFields,
  'description' | 'startsOn' | 'endsOn' | 'goal' | 'tags' | 'staleAfterDays' | 'status'
> &
  Partial<CampaignFields>

const fieldsOf = (c: Campaign): CampaignFields => {
  const { name, objective, description, owner, startsOn, endsOn, status, goal, tags, staleAfterDays } = c
  return { name, objective, description, owner, startsOn, endsOn, status, goal, tags, staleAfterDays }
}

/** Which status may follow which: completed and cancelled campaigns are closed for good. */
const nextStatuses: Record<CampaignStatus, readonly CampaignStatus[]> = {
  planned: ['active', 'cancelled', 'completed'],
  active: ['completed', 'cancelled', 'planned'],
  completed: [],
  cancelled: [],
}

function checkDates(fields: CampaignFields): void {
  if (fields.startsOn && fields.endsOn && fields.endsOn < fields.startsOn) {
    throw invalidInput('body.endsOn', `must not be before startsOn (${fields.endsOn} is before ${fields.startsOn})`)
  }
}

export function createCampaignsService(deps: { campaigns: CampaignsRepository; events: Pick<Events, 'withWrites'> }) {
  const { campaigns, events } = deps
  return {
    async create(input: NewCampaign, ctx: WriteContext): Promise<Campaign> {
      const fields: CampaignFields = {
        description: null,
        startsOn: null,
        endsOn: null,
        goal: null,
        tags: [],
        staleAfterDays: 90,
        status: 'planned',
        ...input,
      }
      checkDates(fields)
      return events.withWrites(async ({ client, writes }) => {
        const campaign = await campaigns.insert(randomUUID(), fields, ctx.actor, client)
        writes.audit({
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          entityType: 'campaign',
          entityId: campaign.id,
          action: 'campaign.created',
          before: null,
          after: fields,
        })
        writes.event({
          type: 'campaigns.campaign.created',
          subject: campaign.id,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          data: { id: campaign.id, name: campaign.name, status: campaign.status },
        })
        return campaign
      })
    },

    /** Applies the given fields; 409 on a stale version or a status a closed campaign cannot take. */
    async update(
      id: string,
      patch: Partial<CampaignFields>,
      version: number | undefined,
      ctx: WriteContext,
    ): Promise<Campaign> {
      return events.withWrites(async ({ client, writes }) => {
        const before = await campaigns.getForUpdate(id, client)
        if (!before) throw new errors.CampaignNotFound(id)
        assertVersion('The campaign', before.version, version)
        const fields: CampaignFields = { ...fieldsOf(before), ...patch }
        checkDates(fields)
        if (fields.status !== before.status && !nextStatuses[before.status].includes(fields.status)) {
          throw new errors.StatusChangeRefused(`A ${before.status} campaign cannot become ${fields.status}`)
        }
        const changed = changedFields(fieldsOf(before), fields)
        if (changed.length === 0) return before
        const after = await campaigns.update(id, fields, ctx.actor, client)
        writes.audit({
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          entityType: 'campaign',
          entityId: id,
          action: 'campaign.updated',
          before: fieldsOf(before),
          after: fields,
        })
        const envelope = { subject: id, actor: ctx.actor, correlationId: ctx.correlationId }
        writes.event({ ...envelope, type: 'campaigns.campaign.updated', data: { id, changedFields: changed } })
        if (after.status === 'completed' && before.status !== 'completed') {
          writes.event({ ...envelope, type: 'campaigns.campaign.completed', data: { id, name: after.name } })
        }
        return after
      })
    },
  }
}

export type CampaignsService = ReturnType<typeof createCampaignsService>
