import dayjs, { type Dayjs } from 'dayjs'

export type View = 'month' | 'week'

/** The days a view shows around `anchor`: whole weeks, Monday first (as in Geneva). */
export function daysOf(view: View, anchor: Dayjs): Dayjs[] {
  const monday = (d: Dayjs) => d.subtract((d.day() + 6) % 7, 'day').startOf('day')
  const first = view === 'week' ? monday(anchor) : monday(anchor.startOf('month'))
  const count =
    view === 'week' ? 7 : Math.ceil((anchor.startOf('month').diff(first, 'day') + anchor.daysInMonth()) / 7) * 7
  return Array.from({ length: count }, (_, i) => first.add(i, 'day'))
}

export const step = (view: View, anchor: Dayjs, by: number) => anchor.add(by, view)

export const sameDay = (a: Dayjs, iso: string) => dayjs(iso).isSame(a, 'day')
