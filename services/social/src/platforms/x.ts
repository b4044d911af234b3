import http from 'node:http'
import {
  ApiPartialResponseError,
  ApiRequestError,
  ApiResponseError,
  TwitterApi,
  type ITwitterApiClientPlugin,
} from 'twitter-api-v2'
import { PlatformFailure, nothingWasSent, type PublishRequest, type PublishResult } from './outcome.ts'

export interface XOAuth1Credentials {
  appKey: string
  appSecret: string
  accessToken: string
  accessSecret: string
}

export interface XOAuth2Credentials {
  clientId: string
  clientSecret?: string
  accessToken: string
  refreshToken: string
  /** When the access token expires (ISO instant); X's last 2 h. */
  expiresAt?: string
}

export type XCredentials = XOAuth1Credentials | XOAuth2Credentials

export const isOAuth2 = (c: XCredentials): c is XOAuth2Credentials => 'refreshToken' in c

/**
 * The library has no base-URL option: a plugin rewrites every request's host to `X_API_BASE_URL`,
 * and sets the timeout the library otherwise leaves unset (docs/social-apis.md).
 */
function redirectPlugin(base: URL, timeoutMs: number): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig({ params }) {
      params.timeout = timeoutMs
    },
    onBeforeRequest({ computedParams }) {
      computedParams.url.protocol = base.protocol
      computedParams.url.hostname = base.hostname
      computedParams.url.port = base.port
    },
  }
}

function latestReset(error: ApiResponseError): Date {
  const limits = [error.rateLimit, error.rateLimit?.day, error.rateLimit?.userDay].filter((l) => l && l.remaining === 0)
  const reset = Math.max(...limits.map((l) => l!.reset), error.rateLimit?.reset ?? 0)
  return reset > 0 ? new Date(reset * 1000) : new Date(Date.now() + 60_000)
}

/** Maps what the library threw to what it means for the delivery; nothing of the request is kept. */
export function classifyXError(error: unknown, stage: 'post' | 'media'): PlatformFailure {
  if (error instanceof PlatformFailure) return error
  if (error instanceof ApiResponseError) {
    const detail = String((error.data as { detail?: string })?.detail ?? error.data?.title ?? '')
    const type = String((error.data as { type?: string })?.type ?? '')
    if (error.code === 429 && type.endsWith('usage-capped'))
      return new PlatformFailure('rejected', `X usage cap reached: ${detail}`)
    if (error.code === 429) return new PlatformFailure('rate_limited', 'X rate limit reached (429)', latestReset(error))
    if (error.code === 401) return new PlatformFailure('auth', 'X rejected the credentials (401)')
    if (error.code === 403 && /duplicate/i.test(detail))
      return new PlatformFailure('duplicate', `X refused duplicate content (403): ${detail}`)
    if (error.code >= 500) {
      return stage === 'media'
        ? new PlatformFailure('refused', `X media upload failed (${error.code})`)
        : new PlatformFailure('unknown', `X answered ${error.code}: the post may or may not exist`)
    }
    return new PlatformFailure('rejected', `X refused the request (${error.code}): ${detail}`)
  }
  if (error instanceof ApiRequestError || error instanceof ApiPartialResponseError) {
    const cause = error instanceof ApiRequestError ? error.requestError : error.responseError
    if (nothingWasSent(cause) || stage === 'media')
      return new PlatformFailure('refused', `X could not be reached: ${cause?.message ?? error.message}`)
    return new PlatformFailure(
      'unknown',
      `no answer from X (${cause?.message ?? error.message}): the post may or may not exist`,
    )
  }
  return new PlatformFailure('unknown', `X call failed: ${error instanceof Error ? error.message : String(error)}`)
}

export function createXClient(options: { baseUrl: string; timeoutMs: number }) {
  const base = new URL(options.baseUrl)
  const settings = {
    plugins: [redirectPlugin(base, options.timeoutMs)],
    // The library always calls https.request; a plain-HTTP base (a local fake) needs an http agent.
    ...(base.protocol === 'http:' ? { httpAgent: new http.Agent({ keepAlive: true }) } : {}),
  }
  const clientFor = (credentials: XCredentials) =>
    isOAuth2(credentials)
      ? new TwitterApi(credentials.accessToken, settings)
      : new TwitterApi(
          {
            appKey: credentials.appKey,
            appSecret: credentials.appSecret,
            accessToken: credentials.accessToken,
            accessSecret: credentials.accessSecret,
          },
          settings,
        )

  return {
    /** Posts the texts as a thread, each a reply to the previous; resumes after `alreadyPosted`. */
    async publish(credentials: XCredentials, request: PublishRequest): Promise<PublishResult> {
      const client = clientFor(credentials).readWrite.v2
      const ids = [...request.alreadyPosted]
      let mediaIds: string[] = []
      if (ids.length === 0 && request.media.length > 0) {
        try {
          for (const m of request.media) {
            const id = await client.uploadMedia(m.bytes, { media_type: m.contentType as 'image/png' })
            if (m.altText) await client.createMediaMetadata(id, { alt_text: { text: m.altText } })
            mediaIds.push(id)
          }
        } catch (error) {
          throw classifyXError(error, 'media')
        }
      }
      for (let i = ids.length; i < request.texts.length; i++) {
        const payload: Record<string, unknown> = { text: request.texts[i] }
        if (i === 0 && mediaIds.length) payload.media = { media_ids: mediaIds }
        if (i > 0) payload.reply = { in_reply_to_tweet_id: ids[i - 1] }
        let id: string
        try {
          id = (await client.tweet(payload)).data.id
        } catch (error) {
          throw classifyXError(error, 'post')
        }
        ids.push(id)
        await request.onPosted(id, i)
        mediaIds = []
      }
      return { remoteIds: ids, url: `https://x.com/i/web/status/${ids[0]}` }
    },

    /** Exchanges a single-use refresh token for a new pair; the caller stores it before using it. */
    async refresh(credentials: XOAuth2Credentials): Promise<XOAuth2Credentials> {
      const app = new TwitterApi(
        {
          clientId: credentials.clientId,
          ...(credentials.clientSecret ? { clientSecret: credentials.clientSecret } : {}),
        },
        settings,
      )
      try {
        const result = await app.refreshOAuth2Token(credentials.refreshToken)
        return {
          ...credentials,
          accessToken: result.accessToken,
          refreshToken: result.refreshToken ?? credentials.refreshToken,
          expiresAt: new Date(Date.now() + result.expiresIn * 1000).toISOString(),
        }
      } catch (error) {
        if (error instanceof ApiResponseError && error.code >= 400 && error.code < 500) {
          throw new PlatformFailure('auth', `X refused to refresh the OAuth 2.0 token (${error.code})`)
        }
        throw classifyXError(error, 'media')
      }
    },
  }
}

export type XClient = ReturnType<typeof createXClient>
