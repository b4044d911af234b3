import { addDays, daysBetween, yearOf } from './dates.ts'

/**
 * Article 7 transparency reports, as pure functions of dates ('YYYY-MM-DD').
 *
 * Art. 7(1): each State Party reports "as soon as practicable, and in any event not later than 180 days
 * after the entry into force of this Convention for that State Party".
 * Art. 7(2): States Parties "shall update annually, covering the previous calendar year, the information
 * provided" under paragraph 1, "not later than 30 April of each year".
 *
 * Our reading: the annual report due on 30 April of year Y covers year Y-1. It *updates* the initial
 * report, so none falls due before the initial report does: the first annual update is the first
 * 30 April strictly after the initial report's deadline, and it covers the calendar year before it.
 * A state bound from 1 March 2026 owes its initial report by 28 August 2026 and its first update by
 * 30 April 2027, covering 2026. Waiting instead for a first full calendar year as a party (an update
 * on 2027, due in 2028) would leave September-December 2026 reported nowhere.
 * Obligations end with membership: nothing falls due after a withdrawal takes effect (Art. 20(3)).
 * Text: https://www.clusterconvention.org/convention-text/
 */

export const INITIAL_REPORT_DAYS = 180

export interface ReportingParty {
  entryIntoForceOn: string
  withdrawalEffectiveOn: string | null
}

export interface ReportObligation {
  kind: 'initial' | 'annual'
  /** The calendar year an annual update covers; null for the initial report. */
  year: number | null
  dueOn: string
}

export interface ReceivedReport {
  kind: 'initial' | 'annual'
  year: number | null
}

export interface DueReport extends ReportObligation {
  status: 'due' | 'overdue'
  /** Days past the deadline on the reference date; 0 while it is not yet late. */
  daysLate: number
}

export const annualDueOn = (coveredYear: number): string => `${coveredYear + 1}-04-30`

export function initialReportDueOn(entryIntoForceOn: string): string {
  return addDays(entryIntoForceOn, INITIAL_REPORT_DAYS)
}

/** The calendar year the first annual update covers. */
export function firstAnnualYear(entryIntoForceOn: string): number {
  const initialDue = initialReportDueOn(entryIntoForceOn)
  const sameYearDeadline = `${yearOf(initialDue)}-04-30`
  const dueYear = sameYearDeadline > initialDue ? yearOf(initialDue) : yearOf(initialDue) + 1
  return dueYear - 1
}

/** Every report owed with a deadline on or before `until`, oldest first. */
export function obligationsUntil(party: ReportingParty, until: string): ReportObligation[] {
  const stillParty = (dueOn: string) => !party.withdrawalEffectiveOn || dueOn <= party.withdrawalEffectiveOn
  const owed: ReportObligation[] = []
  const initialDue = initialReportDueOn(party.entryIntoForceOn)
  if (initialDue <= until && stillParty(initialDue)) owed.push({ kind: 'initial', year: null, dueOn: initialDue })
  for (let year = firstAnnualYear(party.entryIntoForceOn); annualDueOn(year) <= until && stillParty(annualDueOn(year)); year++) {
    owed.push({ kind: 'annual', year, dueOn: annualDueOn(year) })
  }
  return owed
}

/**
 * What a party has not sent as of `asOf`: reports past their deadline (`overdue`, with the days late)
 * and those falling due within the next `horizonDays` (`due`).
 */
export function reportsDue(party: ReportingParty, received: ReceivedReport[], asOf: string, horizonDays = 365): DueReport[] {
  const isReceived = (o: ReportObligation) => received.some((r) => r.kind === o.kind && (o.kind === 'initial' || r.year === o.year))
  return obligationsUntil(party, addDays(asOf, horizonDays - 1))
    .filter((o) => !isReceived(o))
    .map((o) => {
      const late = daysBetween(o.dueOn, asOf)
      return { ...o, status: late > 0 ? 'overdue' : 'due', daysLate: Math.max(late, 0) }
    })
}
