/** Calendar dates as 'YYYY-MM-DD' strings: a date has no time zone, and a JS Date would give it one. */

const toUtc = (date: string) => Date.parse(`${date}T00:00:00Z`)
const DAY_MS = 86_400_000

export function addDays(date: string, days: number): string {
  return new Date(toUtc(date) + days * DAY_MS).toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (negative if `to` comes first). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS)
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4))
}

export const today = (): string => new Date().toISOString().slice(0, 10)
