import { randomUUID } from 'node:crypto'
import type { Events } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import { invalidInput } from '@ccm/http'
import { errors } from '../errors.ts'
import type { Report, ReportsRepository } from '../repositories/reports.ts'
import type { StatesRepository } from '../repositories/states.ts'
import { reportsDue, type DueReport } from './article7.ts'

export type DueReportOf = DueReport & { iso3: string; name: string }

export function createReportsService(deps: {
  states: StatesRepository
  reports: ReportsRepository
  events: Pick<Events, 'withWrites'>
}) {
  const { states, reports, events } = deps
  return {
    async record(
      input: { iso3: string; kind: 'initial' | 'annual'; year?: number; receivedOn: string },
      ctx: WriteContext,
    ): Promise<Report> {
      if (input.kind === 'annual' && input.year === undefined)
        throw invalidInput('body.year', 'an annual report names the calendar year it covers')
      if (input.kind === 'initial' && input.year !== undefined)
        throw invalidInput('body.year', 'an initial report covers no particular year; leave year out')
      return events.withWrites(async ({ client, writes }) => {
        const state = await states.get(input.iso3, client)
        if (!state) throw invalidInput('body.iso3', `no state known with code ${input.iso3}`)
        if (!state.entryIntoForceOn)
          throw invalidInput('body.iso3', `${state.name} has never been a State Party; it owes no Article 7 report`)
        const report = await reports.insertIfNew(
          {
            id: randomUUID(),
            iso3: input.iso3,
            kind: input.kind,
            year: input.year ?? null,
            receivedOn: input.receivedOn,
            recordedBy: ctx.actor,
          },
          client,
        )
        if (!report) {
          throw new errors.ReportAlreadyRecorded(
            `The ${input.kind} report${input.year ? ` for ${input.year}` : ''} of ${state.name} is already recorded`,
          )
        }
        writes.audit({
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          entityType: 'report',
          entityId: report.id,
          action: 'report.received',
          before: null,
          after: { iso3: report.iso3, kind: report.kind, year: report.year, receivedOn: report.receivedOn },
        })
        return report
      })
    },

    /** Every report not received by `asOf`: overdue ones (most days late first), then those due within a year. */
    async due(asOf: string, filter: { iso3?: string; status?: DueReport['status'] }): Promise<DueReportOf[]> {
      const [parties, received] = await Promise.all([
        states.reporting(filter.iso3),
        reports.list({ iso3: filter.iso3 }),
      ])
      const items = parties.flatMap((s) =>
        reportsDue(
          { entryIntoForceOn: s.entryIntoForceOn!, withdrawalEffectiveOn: s.withdrawalEffectiveOn },
          received.filter((r) => r.iso3 === s.iso3),
          asOf,
        ).map((d) => ({ iso3: s.iso3, name: s.name, ...d })),
      )
      return items
        .filter((d) => !filter.status || d.status === filter.status)
        .sort((a, b) => b.daysLate - a.daysLate || a.dueOn.localeCompare(b.dueOn) || a.name.localeCompare(b.name))
    },
  }
}

export type ReportsService = ReturnType<typeof createReportsService>
