import type { Standing } from '../repositories/states.ts'
import { treatyStatuses, type TreatyStatus } from '@ccm/events'

const zero = () => Object.fromEntries(treatyStatuses.map((s) => [s, 0])) as Record<TreatyStatus, number>

/**
 * The registry's counts on a day. Acceptance and approval bind as ratification does (Art. 16(1)), so
 * statistics count them with ratifications; the registry keeps each instrument as deposited.
 */
export function summaryOf(asOf: string, standing: Standing[]) {
  const byStatus = zero()
  const byRegion: Record<string, Record<TreatyStatus, number>> = {}
  const statesPartiesByInstrument = { ratification: 0, accession: 0 }
  let withdrawalPending = 0
  for (const { status, region, instrument, withdrawalPending: pending, count } of standing) {
    const group = (byRegion[region ?? 'none'] ??= zero())
    byStatus[status] += count
    group[status] += count
    if (instrument) statesPartiesByInstrument[instrument === 'accession' ? 'accession' : 'ratification'] += count
    if (pending) withdrawalPending += count
  }
  return {
    asOf,
    total: standing.reduce((n, s) => n + s.count, 0),
    byStatus,
    byRegion,
    withdrawalPending,
    statesPartiesByInstrument,
  }
}
