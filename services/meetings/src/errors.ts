import { createError } from '@ccm/http'

/** The meetings service's named errors; the shared handler turns each into problem+json. */
export const errors = {
  MeetingNotFound: createError<[string]>('MEETINGS_MEETING_NOT_FOUND', 'No meeting with id %s', 404),
  DelegationNotFound: createError<[string]>('MEETINGS_DELEGATION_NOT_FOUND', 'No delegation with id %s', 404),
  ApplicationNotFound: createError<[string]>('MEETINGS_APPLICATION_NOT_FOUND', 'No sponsorship application %s', 404),
  StaleVersion: createError<[string]>('MEETINGS_STALE_VERSION', '%s', 409),
  AlreadyRegistered: createError<[string]>('MEETINGS_ALREADY_REGISTERED', '%s', 409),
  NoBudget: createError<[string]>('MEETINGS_NO_SPONSORSHIP_BUDGET', '%s', 409),
  OverBudget: createError<[string]>('MEETINGS_OVER_BUDGET', '%s', 409),
  StepRefused: createError<[string]>('MEETINGS_STEP_REFUSED', '%s', 409),
  OwnApplication: createError<[string]>('MEETINGS_FOUR_EYES', '%s', 403),
  AdminOnly: createError<[string]>('MEETINGS_ADMIN_ONLY', '%s', 403),
}

/** 409 unless the caller's version (body `version` or `If-Match`) is the current one, or none was given. */
export function assertVersion(what: string, current: number, given: number | undefined): void {
  if (given !== undefined && given !== current) {
    throw new errors.StaleVersion(`${what} is at version ${current}, not ${given}; reload it and try again`)
  }
}
