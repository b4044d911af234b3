import { createError } from '@ccm/http'

/** The contacts service's named errors; the shared handler turns each into problem+json. */
export const errors = {
  StateNotFound: createError<[string]>('CONTACTS_STATE_NOT_FOUND', 'No state with ISO3 code %s', 404),
  TreatyStepRefused: createError<[string]>('CONTACTS_TREATY_STEP_REFUSED', '%s', 409),
  OrganizationNotFound: createError<[string]>('CONTACTS_ORGANIZATION_NOT_FOUND', 'No organisation with id %s', 404),
  PersonNotFound: createError<[string]>('CONTACTS_PERSON_NOT_FOUND', 'No person with id %s', 404),
  PersonMerged: createError<[string, string]>('CONTACTS_PERSON_MERGED', 'Person %s was merged into %s', 404),
  PersonErased: createError<[string]>('CONTACTS_PERSON_ERASED', 'Person %s was erased at their request', 410),
  AffiliationNotFound: createError<[string]>(
    'CONTACTS_AFFILIATION_NOT_FOUND',
    'No affiliation with id %s for this person',
    404,
  ),
  InteractionNotFound: createError<[string]>('CONTACTS_INTERACTION_NOT_FOUND', 'No interaction with id %s', 404),
  ImportNotFound: createError<[string]>('CONTACTS_IMPORT_NOT_FOUND', 'No import with id %s', 404),
  ImportTooLarge: createError<[string]>('CONTACTS_IMPORT_TOO_LARGE', '%s', 413),
  StaleVersion: createError<[string, number, number]>(
    'CONTACTS_STALE_VERSION',
    '%s is at version %d, not %d: read it again and reapply your change',
    409,
  ),
  EmailTaken: createError<[string, string, string]>(
    'CONTACTS_EMAIL_TAKEN',
    '%s is already the primary address of %s (%s)',
    409,
  ),
  DistinctPairNotFound: createError<[string, string]>(
    'CONTACTS_DISTINCT_PAIR_NOT_FOUND',
    '%s and %s were not judged distinct',
    404,
  ),
  DuplicatesScanTooLong: createError(
    'CONTACTS_DUPLICATES_SCAN_TOO_LONG',
    'The duplicates listing took too long; try again, or a smaller page',
    503,
  ),
  MergeRefused: createError<[string]>('CONTACTS_MERGE_REFUSED', '%s', 409),
}
