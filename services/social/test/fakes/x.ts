import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { AnswerQueue, Holds, sendJson, startServer, type FakeRequest } from './http.ts'

/**
 * A fake X API v2 that follows the documented contract (docs/social-apis.md): 201 on a created post,
 * problem+json errors, rate-limit headers and no Retry-After. It keeps its own record of every post it
 * accepted, which tests compare with what the service believes it published.
 */
export type XAnswer =
  | { kind: 'ok' }
  | { kind: 'rateLimited'; resetInSeconds: number }
  | { kind: 'duplicate' }
  | { kind: 'unauthorized' }
  | { kind: 'usageCapped' }
  /** A 5xx; `created` says whether the post was made all the same (the caller cannot know). */
  | { kind: 'serverError'; status?: number; created?: boolean }
  /** The post is made, then the answer is held for `ms` (for ever if absent): the caller's timeout fires first. */
  | { kind: 'hold'; ms?: number; created?: boolean }

export interface XPost {
  id: string
  text: string
  inReplyTo: string | null
  mediaIds: string[]
  /** Who posted: the OAuth 1.0a `oauth_token` or the OAuth 2.0 bearer token. */
  user: string
  at: number
}

const problem = 'application/problem+json'
const RATE_LIMIT = 100

export async function startFakeX(options: { latencyMs?: number } = {}) {
  const posts: XPost[] = []
  const media = new Map<string, { mediaType: string; bytes: number; finalized: boolean; altText?: string }>()
  const answers = new AnswerQueue<XAnswer>()
  const holds = new Holds()
  const revoked = new Set<string>()
  const refreshTokens = new Map<string, boolean>()
  let nextId = 1_860_000_000_000_000_000n
  const newId = () => String(nextId++)

  const userOf = (request: FakeRequest): string | null => {
    const auth = request.headers.authorization ?? ''
    // OAuth 1.0a signatures are computed for api.x.com: identify the user, never verify against this host.
    const oauthToken = auth.match(/oauth_token="([^"]+)"/)?.[1]
    if (oauthToken) return decodeURIComponent(oauthToken)
    return auth.match(/^Bearer (\S+)$/)?.[1] ?? null
  }

  const rateHeaders = () => ({
    'x-rate-limit-limit': String(RATE_LIMIT),
    'x-rate-limit-remaining': String(RATE_LIMIT - 1),
    'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 900),
  })

  function fail(
    res: ServerResponse,
    status: number,
    title: string,
    detail: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    sendJson(res, status, { title, status, type: 'about:blank', detail, ...extra }, headers, problem)
  }

  // The fake reads whatever fields the client sent, untyped, as the platform does.
  function record(user: string, fields: Record<string, any>): XPost {
    const post: XPost = {
      id: newId(),
      text: String(fields.text ?? ''),
      inReplyTo: fields.reply?.in_reply_to_tweet_id ?? null,
      mediaIds: fields.media?.media_ids ?? [],
      user,
      at: Date.now(),
    }
    posts.push(post)
    return post
  }

  async function createTweet(request: FakeRequest, res: ServerResponse, user: string) {
    const fields = request.fields as Record<string, any> // whatever the client sent, as above
    if (typeof fields.text !== 'string' && !fields.media)
      return fail(res, 400, 'Invalid Request', 'One or more parameters to your request was invalid.')
    const answer = answers.next()
    if (answer?.kind === 'rateLimited') {
      const reset = Math.floor(Date.now() / 1000) + answer.resetInSeconds
      return fail(
        res,
        429,
        'Too Many Requests',
        'Too Many Requests',
        {},
        {
          'x-rate-limit-limit': String(RATE_LIMIT),
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(reset),
          'x-user-limit-24hour-limit': '17',
          'x-user-limit-24hour-remaining': '10',
          'x-user-limit-24hour-reset': String(reset + 3600),
        },
      )
    }
    if (answer?.kind === 'unauthorized') return fail(res, 401, 'Unauthorized', 'Unauthorized')
    if (answer?.kind === 'usageCapped') {
      return fail(res, 429, 'UsageCapExceeded', 'Usage cap exceeded: Monthly product cap', {
        type: 'https://api.twitter.com/2/problems/usage-capped',
        period: 'Monthly',
        scope: 'Product',
      })
    }
    const isDuplicate =
      answer?.kind === 'duplicate' || posts.some((p) => p.user === user && p.text === fields.text && !fields.media)
    if (isDuplicate) return fail(res, 403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.')
    if (answer?.kind === 'serverError') {
      if (answer.created) record(user, fields)
      return fail(res, answer.status ?? 503, 'Service Unavailable', 'Service Unavailable')
    }
    if (answer?.kind === 'hold') {
      const post = answer.created === false ? null : record(user, fields)
      await holds.hold(answer.ms)
      if (!post) return fail(res, 503, 'Service Unavailable', 'Service Unavailable')
      return sendJson(res, 201, { data: { id: post.id, text: post.text } }, rateHeaders())
    }
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs))
    const post = record(user, fields)
    sendJson(res, 201, { data: { id: post.id, text: post.text } }, rateHeaders())
  }

  function mediaRoute(request: FakeRequest, res: ServerResponse) {
    const parts = request.path.split('/').filter(Boolean) // ['2', 'media', 'upload', …]
    if (parts[3] === 'initialize') {
      const id = newId()
      const fields = request.fields as Record<string, any> // whatever the client sent, as above
      const mediaType = String(fields.media_type ?? '')
      if (!/^image\/(png|jpeg|gif|webp)$/.test(mediaType))
        return fail(res, 400, 'Invalid Request', `media_type ${mediaType} is not supported`)
      media.set(id, { mediaType, bytes: 0, finalized: false })
      return sendJson(res, 200, { data: { id, media_key: `3_${id}`, expires_after_secs: 86_400 } })
    }
    const id = parts[3] ?? ''
    const item = media.get(id)
    if (!item) return fail(res, 400, 'Invalid Request', `media ${id} not found`)
    if (parts[4] === 'append') {
      item.bytes += request.body.length
      return sendJson(res, 200, { data: { expires_at: Math.floor(Date.now() / 1000) + 86_400 } })
    }
    if (parts[4] === 'finalize') {
      item.finalized = true
      return sendJson(res, 200, { data: { id, media_key: `3_${id}`, size: item.bytes, expires_after_secs: 86_400 } })
    }
    fail(res, 404, 'Not Found', 'Not Found')
  }

  function refresh(request: FakeRequest, res: ServerResponse) {
    const token = String(request.fields.refresh_token ?? '')
    // Refresh tokens rotate and are single-use.
    if (refreshTokens.get(token) !== true)
      return sendJson(res, 400, {
        error: 'invalid_request',
        error_description: 'Value passed for the token was invalid.',
      })
    refreshTokens.set(token, false)
    const next = {
      access: `x2-access-${randomBytes(6).toString('hex')}`,
      refresh: `x2-refresh-${randomBytes(6).toString('hex')}`,
    }
    refreshTokens.set(next.refresh, true)
    sendJson(res, 200, {
      token_type: 'bearer',
      expires_in: 7200,
      access_token: next.access,
      refresh_token: next.refresh,
      scope: 'tweet.write users.read offline.access',
    })
  }

  const http = await startServer(async (request, res) => {
    if (request.method === 'POST' && request.path === '/2/oauth2/token') return refresh(request, res)
    const user = userOf(request)
    if (!user) return fail(res, 401, 'Unauthorized', 'Unauthorized')
    if (revoked.has(user)) return fail(res, 401, 'Unauthorized', 'Unauthorized')
    if (request.method === 'POST' && request.path === '/2/tweets') return createTweet(request, res, user)
    if (request.method === 'POST' && request.path.startsWith('/2/media/upload')) return mediaRoute(request, res)
    if (request.method === 'POST' && request.path === '/2/media/metadata') {
      const fields = request.fields as { id?: string; metadata?: { alt_text?: { text?: string } } }
      const item = media.get(String(fields.id))
      if (!item) return fail(res, 400, 'Invalid Request', `media ${fields.id} not found`)
      item.altText = fields.metadata?.alt_text?.text
      return sendJson(res, 200, { data: { id: fields.id, associated_metadata: fields.metadata } })
    }
    fail(res, 404, 'Not Found', `No route ${request.method} ${request.path}`)
  })

  return {
    url: http.url,
    /** Every post the fake accepted, in order: the fake's own record. */
    posts,
    media,
    /** Scripts the next answers to POST /2/tweets. */
    answerNext: (...next: XAnswer[]) => answers.push(...next),
    holds,
    revoke: (token: string) => revoked.add(token),
    /** A refresh token the fake will honour once. */
    issueRefreshToken: (token: string) => refreshTokens.set(token, true),
    close: () => {
      holds.releaseAll()
      return http.close()
    },
  }
}

export type FakeX = Awaited<ReturnType<typeof startFakeX>>
