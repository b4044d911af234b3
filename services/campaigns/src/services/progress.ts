import type { Db } from '@ccm/db'
import { errors } from '../errors.ts'
import type { CampaignsRepository } from '../repositories/campaigns.ts'
import { createProgressRepository } from '../repositories/progress.ts'
import type { StatesRepository } from '../repositories/states.ts'
import type { TargetsRepository } from '../repositories/targets.ts'
import type { TasksRepository } from '../repositories/tasks.ts'
import { today } from './dates.ts'
import { pipelineStages, targetStages, type TargetStage } from './stage-rules.ts'

interface Deps {
  db: Db
  campaigns: CampaignsRepository
  targets: TargetsRepository
  tasks: TasksRepository
  states: StatesRepository
}

export function createProgressService(deps: Deps) {
  const { db, campaigns, targets, tasks, states } = deps
  const progress = createProgressRepository(db)
  return {
    async ofCampaign(id: string) {
      const campaign = await campaigns.get(id)
      if (!campaign) throw new errors.CampaignNotFound(id)
      const [counts, entered, medians, staleTargets, overdue] = await Promise.all([
        progress.countByStage(id),
        progress.enteredPerStage(id),
        progress.medianDaysPerStage(id),
        progress.staleTargets(id, campaign.staleAfterDays),
        tasks.list({ campaignId: id, overdueOn: today() }, { limit: 500, offset: 0 }),
      ])
      const targetsPerStage = Object.fromEntries(
        targetStages.map((s) => [s, counts.find((c) => c.stage === s)?.count ?? 0]),
      ) as Record<TargetStage, number>
      const achieved = campaign.goal ? await targets.countAchieved(id, campaign.goal.metric) : null
      return {
        campaignId: id,
        totalTargets: counts.reduce((n, c) => n + c.count, 0),
        targetsPerStage,
        goal: campaign.goal
          ? {
              ...campaign.goal,
              achieved: achieved!,
              reached: campaign.goalReachedAt !== null || achieved! >= campaign.goal.target,
              reachedAt: campaign.goalReachedAt,
            }
          : null,
        conversion: pipelineStages.slice(0, -1).map((from, i) => ({
          from,
          to: pipelineStages[i + 1]!,
          entered: entered[i]!,
          advanced: entered[i + 1]!,
          rate: entered[i] ? Math.round((entered[i + 1]! / entered[i]!) * 1000) / 1000 : null,
        })),
        medianDaysInStage: medians,
        staleAfterDays: campaign.staleAfterDays,
        staleTargets,
        overdueTasks: overdue.items,
      }
    },

    /** States Parties and signatories per UN regional group, and the number of States Parties year by year. */
    async universalization() {
      const [counts, moves] = await Promise.all([states.countByStatusAndRegion(), states.joinsAndWithdrawalsByYear()])
      const byRegion: Record<
        string,
        { statesParties: number; signatories: number; notSigned: number; withdrawn: number; total: number }
      > = {}
      const key = {
        state_party: 'statesParties',
        signatory: 'signatories',
        not_signed: 'notSigned',
        withdrawn: 'withdrawn',
      } as const
      for (const { status, region, count } of counts) {
        const group = (byRegion[region ?? 'none'] ??= {
          statesParties: 0,
          signatories: 0,
          notSigned: 0,
          withdrawn: 0,
          total: 0,
        })
        group[key[status as keyof typeof key]] += count
        group.total += count
      }
      const sum = (field: 'statesParties' | 'signatories') => Object.values(byRegion).reduce((n, g) => n + g[field], 0)
      const growth: { year: number; joined: number; withdrew: number; statesParties: number }[] = []
      const first = moves[0]?.year
      const last = Math.max(moves.at(-1)?.year ?? 0, Number(today().slice(0, 4)))
      let running = 0
      for (let year = first ?? last + 1; year <= last; year++) {
        const { joined = 0, withdrew = 0 } = moves.find((m) => m.year === year) ?? {}
        growth.push({ year, joined, withdrew, statesParties: (running += joined - withdrew) })
      }
      return { statesParties: sum('statesParties'), signatories: sum('signatories'), byRegion, growth }
    },
  }
}

export type ProgressService = ReturnType<typeof createProgressService>
