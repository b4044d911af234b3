import { createError } from '@ccm/http'

/** The contacts service's named errors; the shared handler turns each into problem+json. */
export const errors = {
  StateNotFound: createError<[string]>('CONTACTS_STATE_NOT_FOUND', 'No state with ISO3 code %s', 404),
  TreatyStepRefused: createError<[string]>('CONTACTS_TREATY_STEP_REFUSED', '%s', 409),
}
