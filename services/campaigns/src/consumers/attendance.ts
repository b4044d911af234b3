import type { EventHandlers } from '@ccm/events'
import type { CampaignsDomain } from '../domain.ts'

/** `meetings.attendance.recorded`: a state attending a meeting as an observer or signatory is engaged. */
export function attendanceHandlers({ pipeline }: Pick<CampaignsDomain, 'pipeline'>) {
  return {
    'meetings.attendance.recorded': (event, tx) => pipeline.applyAttendance(event, tx),
  } satisfies EventHandlers
}
