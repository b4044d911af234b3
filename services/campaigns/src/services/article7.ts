import { addDays, daysBetween, yearOf } from './dates.ts'

/**
 * Article 7 transparency reports, as pure functions of dates ('YYYY-MM-DD').
 *
 * Art. 7(1): "Each State Party shall report to the Secretary-General of the United Nations as soon as
 * practicable, and in any event not later than 180 days after the entry into force of this Convention
 * for that State Party, on: ...".
 * Art. 7(2): "The information provided in accordance with paragraph 1 of this Article shall be updated
 * by the States Parties annually, covering the last calendar year, and reported to the Secretary-General
 * of the United Nations not later than 30 April of each year."
 *
 * The rule for the first annual update, stated once (firstAnnualYear): the update due on 30 April of year
 * Y covers year Y-1 and updates information already reported, so it falls due only in a year whose
 * April begins after the initial report's deadline; the first one is therefore due on 30 April of the
 * year of that deadline if it falls before 1 April, otherwise of the year after.
 * Why April and not the day: entry into force is always the first of a month (Art. 17), and from
 * 1 November the 180 days end on 30 April, or on 29 April when February has 29 days. A rule on days
 * would make a state bound on 1 November 2015 (South Africa, initial report by 29 April 2016) owe an
 * update on 2015 the next day, and one bound on 1 November 2013 (Iraq, by 30 April 2014) not: the
 * obligation would turn on leap years, which nothing in the text supports. Either state's initial
 * report, due at the end of April, already covers its first two months; its first annual update covers
 * its first full calendar year. A state bound from 1 March 2026 owes its initial report by 28 August 2026
 * and its first update, on 2026, by 30 April 2027 (waiting for a first full calendar year there would
 * leave September-December 2026 reported nowhere); one bound on 1 October 2025 reports by 30 March
 * 2026, then on 2025 by 30 April 2026.
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

/** The calendar year the first annual update covers (the rule above). */
export function firstAnnualYear(entryIntoForceOn: string): number {
  const initialDue = initialReportDueOn(entryIntoForceOn)
  const dueYear = initialDue < `${yearOf(initialDue)}-04-01` ? yearOf(initialDue) : yearOf(initialDue) + 1
  return dueYear - 1
}

/** Every report owed with a deadline on or before `until`, oldest first. */
export function obligationsUntil(party: ReportingParty, until: string): ReportObligation[] {
  const stillParty = (dueOn: string) => !party.withdrawalEffectiveOn || dueOn <= party.withdrawalEffectiveOn
  const owed: ReportObligation[] = []
  const initialDue = initialReportDueOn(party.entryIntoForceOn)
  if (initialDue <= until && stillParty(initialDue)) owed.push({ kind: 'initial', year: null, dueOn: initialDue })
  for (
    let year = firstAnnualYear(party.entryIntoForceOn);
    annualDueOn(year) <= until && stillParty(annualDueOn(year));
    year++
  ) {
    owed.push({ kind: 'annual', year, dueOn: annualDueOn(year) })
  }
  return owed
}

/**
 * What a party has not sent as of `asOf`: reports past their deadline (`overdue`, with the days late)
 * and those falling due within the next `horizonDays` (`due`).
 */
export function reportsDue(
  party: ReportingParty,
  received: ReceivedReport[],
  asOf: string,
  horizonDays = 365,
): DueReport[] {
  const isReceived = (o: ReportObligation) =>
    received.some((r) => r.kind === o.kind && (o.kind === 'initial' || r.year === o.year))
  return obligationsUntil(party, addDays(asOf, horizonDays - 1))
    .filter((o) => !isReceived(o))
    .map((o) => {
      const late = daysBetween(o.dueOn, asOf)
      return { ...o, status: late > 0 ? 'overdue' : 'due', daysLate: Math.max(late, 0) }
    })
}
