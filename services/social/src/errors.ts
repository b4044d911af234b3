import { createError } from '@ccm/http'

/** The social service's named errors; the shared handler turns each into problem+json. */
export const errors = {
  ChannelNotFound: createError<[string]>('SOCIAL_CHANNEL_NOT_FOUND', 'No channel with id %s', 404),
  PostNotFound: createError<[string]>('SOCIAL_POST_NOT_FOUND', 'No post with id %s', 404),
  MediaNotFound: createError<[string]>('SOCIAL_MEDIA_NOT_FOUND', 'No media with id %s', 404),
  DeliveryNotFound: createError<[string]>('SOCIAL_DELIVERY_NOT_FOUND', '%s', 404),
  StaleVersion: createError<[string]>('SOCIAL_STALE_VERSION', '%s', 409),
  TransitionRefused: createError<[string]>('SOCIAL_TRANSITION_REFUSED', '%s', 409),
  SelfApproval: createError<[string]>('SOCIAL_SELF_APPROVAL', '%s', 403),
  MediaRefused: createError<[string]>('SOCIAL_MEDIA_REFUSED', '%s', 415),
  MediaTooLarge: createError<[string]>('SOCIAL_MEDIA_TOO_LARGE', '%s', 413),
}
