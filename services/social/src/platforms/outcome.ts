/**
 * What a failed platform call means for the delivery, decided once here so the scheduler never
 * guesses. Only `refused` and `rate_limited` provably created nothing and may be tried again on their own.
 */
export const failureKinds = {
  /** 429 or a throttling code: try again at `retryAt`. */
  rate_limited: 'rate_limited',
  /** Duplicate content: terminal, never retried. */
  duplicate: 'duplicate',
  /** Credentials rejected: the channel needs re-authorisation; its deliveries wait. */
  auth: 'auth',
  /** Nothing reached the platform (connection refused): safe to try again. */
  refused: 'refused',
  /** A 4xx that is not worth retrying without a person (permissions, a blocked account, a usage cap). */
  rejected: 'rejected',
  /** Timeout, 5xx, connection lost after sending: the post may exist. Never re-sent automatically. */
  unknown: 'unknown',
} as const

export type FailureKind = keyof typeof failureKinds

export class PlatformFailure extends Error {
  override name = 'PlatformFailure'
  constructor(
    readonly kind: FailureKind,
    /** Safe to store and show: never a token, never a request. */
    readonly reason: string,
    readonly retryAt?: Date,
  ) {
    super(reason)
  }
}

/** One image, as the platforms receive it. */
export interface OutgoingMedia {
  contentType: string
  bytes: Buffer
  altText: string | null
}

export interface PublishRequest {
  /** The texts to post, in order: one for Facebook, one per post of an X thread. */
  texts: string[]
  media: OutgoingMedia[]
  /** Ids already returned by an earlier attempt: the thread resumes after the last one. */
  alreadyPosted: string[]
  /** Called with each id the moment the platform returns it, before the next call; `index` is its place in `texts`. */
  onPosted(remoteId: string, index: number): Promise<void>
}

export interface PublishResult {
  remoteIds: string[]
  url: string
}

/** A network error raised before anything was sent: the platform cannot have created a post. */
export function nothingWasSent(error: unknown): boolean {
  const code =
    (error as { code?: string; cause?: { code?: string } })?.cause?.code ?? (error as { code?: string })?.code
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH'
}
