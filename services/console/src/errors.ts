import { createError } from '@ccm/http'

/**
 * The console's named errors; the shared handler turns each into problem+json, its `type` ending in the code in lower
 * case (`urn:ccm:problem:csrf`) unless the error names its own.
 */
export const errors = {
  NotSignedIn: createError('UNAUTHORIZED', 'Sign in first', 401),
  SignInRefused: createError('CONSOLE_SIGN_IN_REFUSED', 'The username or the password is wrong', 401),
  SignInThrottled: createError<[number]>(
    'CONSOLE_SIGN_IN_THROTTLED',
    'Too many failed sign-ins: try again in %d seconds',
    429,
  ),
  Csrf: createError<[string]>('CSRF', '%s', 403),
  CrossSite: createError('CSRF', 'A request from another site is refused', 403),
  RoleRefused: createError<[string, string]>('FORBIDDEN', 'This needs the role %s (you are %s)', 403),
  UserNotFound: createError<[string]>('CONSOLE_USER_NOT_FOUND', 'No user with id %s', 404),
  UsernameTaken: createError<[string]>('CONSOLE_USERNAME_TAKEN', 'The username %s is taken', 409),
  StaleVersion: createError<[number, number]>(
    'CONSOLE_STALE_VERSION',
    'The user is at version %d, not %d: read it again and reapply your change',
    409,
  ),
  LastAdmin: createError('CONSOLE_LAST_ADMIN', 'This would leave no active admin: make another admin first', 409),
  ServiceUnreachable: createError<[string]>(
    'SERVICE_UNAVAILABLE',
    'The %s service is unreachable; try again in a moment',
    503,
  ),
}

const PasswordChangeRequired = createError('PASSWORD_CHANGE_REQUIRED', 'Choose a new password first', 403)

/**
 * The 403 every route but the session's own answers until a new password is set; its type per the console's contract.
 */
export function passwordChangeRequired() {
  const error = new PasswordChangeRequired()
  return Object.assign(error, { problem: { type: 'urn:ccm:problem:password-change-required' } })
}
