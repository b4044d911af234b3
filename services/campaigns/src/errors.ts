import { createError } from '@ccm/http'

/** The campaigns service's named errors; the shared handler turns each into problem+json. */
export const errors = {
  CampaignNotFound: createError<[string]>('CAMPAIGNS_CAMPAIGN_NOT_FOUND', 'No campaign with id %s', 404),
  TargetNotFound: createError<[string]>('CAMPAIGNS_TARGET_NOT_FOUND', 'The campaign does not target %s', 404),
  TaskNotFound: createError<[string]>('CAMPAIGNS_TASK_NOT_FOUND', 'No task with id %s', 404),
  StaleVersion: createError<[string]>('CAMPAIGNS_STALE_VERSION', '%s', 409),
  CampaignClosed: createError<[string]>('CAMPAIGNS_CAMPAIGN_CLOSED', '%s', 409),
  StatusChangeRefused: createError<[string]>('CAMPAIGNS_STATUS_CHANGE_REFUSED', '%s', 409),
  StageMoveRefused: createError<[string]>('CAMPAIGNS_STAGE_MOVE_REFUSED', '%s', 409),
  ReportAlreadyRecorded: createError<[string]>('CAMPAIGNS_REPORT_ALREADY_RECORDED', '%s', 409),
}

/** 409 unless the caller's version (body `version` or `If-Match`) is the current one, or none was given. */
export function assertVersion(what: string, current: number, given: number | undefined): void {
  if (given !== undefined && given !== current) {
    throw new errors.StaleVersion(`${what} is at version ${current}, not ${given}; reload it and try again`)
  }
}
