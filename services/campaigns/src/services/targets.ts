import type { Queryable } from '@ccm/db'
import type { Events } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import { invalidInput } from '@ccm/http'
import { assertVersion, errors } from '../errors.ts'
import type { Campaign, CampaignsRepository } from '../repositories/campaigns.ts'
import type { ReportsRepository } from '../repositories/reports.ts'
import type { State, StatesRepository } from '../repositories/states.ts'
import type { Target, TargetsRepository, Transition } from '../repositories/targets.ts'
import { reportsDue } from './article7.ts'
import { today } from './dates.ts'
import type { PipelineService } from './pipeline.ts'
import { checkManualMove, initialStage, type TargetStage } from './stage-rules.ts'

export interface TargetFilter {
  status?: State['status']
  region?: string
  /** States with an Article 7 report past its deadline. */
  reports?: 'overdue'
}

export type TargetSelection = { iso3: string[] } | { filter: TargetFilter }

interface Deps {
  states: StatesRepository
  campaigns: CampaignsRepository
  targets: TargetsRepository
  reports: ReportsRepository
  pipeline: PipelineService
  events: Pick<Events, 'withWrites'>
}

const isOpen = (c: Campaign) => c.status === 'planned' || c.status === 'active'

export function createTargetsService(deps: Deps) {
  const { states, campaigns, targets, reports, pipeline, events } = deps

  /**
   * Adding targets locks the campaign (against a concurrent close); a move does not, since the consumer
   * locks a target before it updates its campaign (goal reached), and the opposite order could deadlock.
   */
  async function openCampaign(id: string, client: Queryable, lock: boolean): Promise<Campaign> {
    const campaign = lock ? await campaigns.getForUpdate(id, client) : await campaigns.get(id, client)
    if (!campaign) throw new errors.CampaignNotFound(id)
    if (!isOpen(campaign))
      throw new errors.CampaignClosed(`The campaign is ${campaign.status}; its targets no longer change`)
    return campaign
  }

  async function select(selection: TargetSelection, client: Queryable): Promise<State[]> {
    if ('iso3' in selection) {
      const wanted = [...new Set(selection.iso3)]
      const found = await states.getMany(wanted, client)
      const unknown = wanted.filter((code) => !found.some((s) => s.iso3 === code))
      if (unknown.length) throw invalidInput('body.iso3', `no state known with code ${unknown.join(', ')}`)
      return found
    }
    const { reports: reportFilter, ...filter } = selection.filter
    const matching = await states.list(filter, client)
    if (reportFilter !== 'overdue') return matching
    const asOf = today()
    const received = await reports.list({}, client)
    return matching.filter(
      (s) =>
        s.entryIntoForceOn &&
        s.status === 'state_party' &&
        reportsDue(
          { entryIntoForceOn: s.entryIntoForceOn, withdrawalEffectiveOn: s.withdrawalEffectiveOn },
          received.filter((r) => r.iso3 === s.iso3),
          asOf,
        ).some((d) => d.status === 'overdue'),
    )
  }

  return {
    /**
     * Adds states as targets, each in the stage its treaty status implies; those already targeted are left as they are.
     */
    async add(
      campaignId: string,
      selection: TargetSelection,
      ctx: WriteContext,
    ): Promise<{ added: Target[]; alreadyTargeted: string[] }> {
      return events.withWrites(async ({ client, writes }) => {
        await openCampaign(campaignId, client, true)
        const chosen = await select(selection, client)
        const added: Target[] = []
        const alreadyTargeted: string[] = []
        for (const state of chosen) {
          const stage = initialStage(state, today())
          if (!(await targets.insertIfMissing(campaignId, state.iso3, stage, ctx.actor, client))) {
            alreadyTargeted.push(state.iso3)
            continue
          }
          await targets.addTransition(
            {
              campaignId,
              iso3: state.iso3,
              from: null,
              to: stage,
              by: ctx.actor,
              causedByEventId: null,
              reason: 'added to the campaign',
              evidenceInteractionId: null,
            },
            client,
          )
          writes.audit({
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            entityType: 'target',
            entityId: `${campaignId}/${state.iso3}`,
            action: 'target.added',
            before: null,
            after: { stage },
          })
          writes.event({
            type: 'campaigns.target.added',
            subject: campaignId,
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            data: { campaignId, iso3: state.iso3, stage },
          })
          added.push((await targets.get(campaignId, state.iso3, client))!)
        }
        return { added, alreadyTargeted }
      })
    },

    async get(campaignId: string, iso3: string): Promise<Target & { transitions: Transition[] }> {
      if (!(await campaigns.get(campaignId))) throw new errors.CampaignNotFound(campaignId)
      const target = await targets.get(campaignId, iso3)
      if (!target) throw new errors.TargetNotFound(iso3)
      return { ...target, transitions: await targets.transitions(campaignId, iso3) }
    },

    /** A person's move: checked against the pipeline's rules, then recorded like any other. */
    async moveByHand(
      campaignId: string,
      iso3: string,
      input: { stage: TargetStage; reason?: string; interactionId?: string; version?: number },
      ctx: WriteContext,
    ): Promise<Target & { transitions: Transition[] }> {
      await events.withWrites(async (tx) => {
        const { client } = tx
        await openCampaign(campaignId, client, false)
        const target = await targets.getForUpdate(campaignId, iso3, client)
        if (!target) throw new errors.TargetNotFound(iso3)
        assertVersion('The target', target.version, input.version)
        const check = checkManualMove(target.stage, input.stage, input.reason)
        if (!check.ok)
          throw check.field
            ? invalidInput(`body.${check.field}`, check.reason)
            : new errors.StageMoveRefused(check.reason)
        const cause = {
          by: ctx.actor,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          causedByEventId: null,
          reason: input.reason?.trim() || null,
          evidenceInteractionId: input.interactionId ?? null,
        }
        await pipeline.move(tx, target, input.stage, cause)
        await pipeline.checkGoal(tx, campaignId, cause)
      })
      return this.get(campaignId, iso3)
    },
  }
}

export type TargetsService = ReturnType<typeof createTargetsService>
