/**
 * Dates, times and numbers in the user's language (i18next's), through Intl. Dates from the APIs are
 * `YYYY-MM-DD` calendar days (shown as such, never shifted by a time zone) or ISO instants.
 */
import i18n from './i18n'

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>()
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(
  key: string,
  make: () => T,
) {
  const full = `${i18n.language}|${key}`
  let f = cache.get(full)
  if (!f) cache.set(full, (f = make()))
  return f as T
}

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value)

/** A calendar day (`2011-07-01`) or an instant, as a date: "1 Jul 2011". */
export function formatDate(value: string | null | undefined): string {
  if (!value) return ''
  const f = cached('date', () => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }))
  if (isDay(value)) return f.format(new Date(`${value}T00:00:00Z`))
  const local = cached('date-local', () => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }))
  return local.format(new Date(value))
}

/** An instant with its time, in the browser's time zone: "1 Jul 2011, 14:05". */
export function formatDateTime(value: string | null | undefined, timeZone?: string): string {
  if (!value) return ''
  const f = cached(
    `datetime|${timeZone ?? ''}`,
    () => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone }),
  )
  return f.format(new Date(value))
}

export function formatNumber(value: number | null | undefined): string {
  if (value == null) return ''
  return cached('number', () => new Intl.NumberFormat(i18n.language)).format(value)
}

/** "3 days ago", "in 2 days": for due dates and last contacts. */
export function formatRelativeDays(value: string): string {
  const day = isDay(value) ? new Date(`${value}T00:00:00Z`) : new Date(value)
  const days = Math.round((day.getTime() - Date.now()) / 86_400_000)
  return cached('relative', () => new Intl.RelativeTimeFormat(i18n.language, { numeric: 'auto' })).format(days, 'day')
}

/** Today as a calendar day (UTC), the form the APIs take. */
export function today(): string {
  return new Date().toISOString().slice(0, 10)
}
