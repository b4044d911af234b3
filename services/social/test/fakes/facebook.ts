import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { AnswerQueue, Holds, sendJson, startServer, type FakeRequest } from './http.ts'

/**
 * A fake Facebook Graph API for Page posting, following the documented contract (docs/social-apis.md):
 * 200 `{ id: "{page-id}_{post-id}" }`, and the error object with its codes. It keeps its own record of
 * every post it accepted.
 */
export type FacebookAnswer =
  | { kind: 'ok' }
  /** Codes 4, 17, 32, 613: throttled; the usage header says when access returns, in minutes. */
  | { kind: 'throttled'; code?: number; minutes?: number }
  | { kind: 'tokenInvalid' }
  | { kind: 'duplicate' }
  /** Codes 1, 2 with a 500: the post may or may not exist. */
  | { kind: 'transient'; code?: number; created?: boolean }
  | { kind: 'hold'; ms?: number; created?: boolean }

export interface FacebookPost {
  id: string
  pageId: string
  message: string
  attachedMedia: string[]
  at: number
}

export async function startFakeFacebook(options: { version?: string; latencyMs?: number } = {}) {
  const version = options.version ?? 'v23.0'
  const posts: FacebookPost[] = []
  const photos: { id: string; pageId: string; bytes: number; published: boolean }[] = []
  const answers = new AnswerQueue<FacebookAnswer>()
  const holds = new Holds()
  const revoked = new Set<string>()
  let next = 100_000
  const trace = () => randomBytes(8).toString('base64url')

  function error(
    res: ServerResponse,
    status: number,
    code: number,
    message: string,
    extra: { subcode?: number; headers?: Record<string, string> } = {},
  ) {
    sendJson(
      res,
      status,
      {
        error: {
          message,
          type: 'OAuthException',
          code,
          ...(extra.subcode ? { error_subcode: extra.subcode } : {}),
          fbtrace_id: trace(),
        },
      },
      extra.headers ?? {},
    )
  }

  const tokenOf = (request: FakeRequest): string | null =>
    (request.fields.access_token as string | undefined) ??
    request.query.get('access_token') ??
    request.headers.authorization?.match(/^Bearer (\S+)$/)?.[1] ??
    null

  // The fake reads whatever fields the client sent, untyped, as the platform does.
  function record(pageId: string, fields: Record<string, any>): FacebookPost {
    const attached = (fields.attached_media ?? []) as { media_fbid: string }[]
    const post: FacebookPost = {
      id: `${pageId}_${next++}`,
      pageId,
      message: String(fields.message ?? ''),
      attachedMedia: attached.map((m) => m.media_fbid),
      at: Date.now(),
    }
    posts.push(post)
    return post
  }

  async function feed(request: FakeRequest, res: ServerResponse, pageId: string) {
    const fields = request.fields as Record<string, any> // whatever the client sent, as above
    if (!fields.message && !fields.link && !fields.attached_media)
      return error(res, 400, 100, '(#100) Invalid parameter')
    const answer = answers.next()
    if (answer?.kind === 'throttled') {
      const usage = JSON.stringify({
        [pageId]: [
          {
            type: 'pages',
            call_count: 100,
            total_cputime: 10,
            total_time: 10,
            estimated_time_to_regain_access: answer.minutes ?? 1,
          },
        ],
      })
      return error(res, 400, answer.code ?? 32, 'Page request limit reached', {
        headers: { 'x-business-use-case-usage': usage },
      })
    }
    if (answer?.kind === 'tokenInvalid')
      return error(
        res,
        400,
        190,
        'Error validating access token: The session has been invalidated because the user changed their password.',
        { subcode: 460 },
      )
    const isDuplicate =
      answer?.kind === 'duplicate' ||
      posts.some((p) => p.pageId === pageId && p.message === fields.message && fields.message)
    if (isDuplicate) return error(res, 400, 506, 'Duplicate status message')
    if (answer?.kind === 'transient') {
      if (answer.created) record(pageId, fields)
      return error(res, 500, answer.code ?? 2, 'An unexpected error has occurred. Please retry your request later.')
    }
    if (answer?.kind === 'hold') {
      const post = answer.created === false ? null : record(pageId, fields)
      await holds.hold(answer.ms)
      if (!post) return error(res, 500, 2, 'Service temporarily unavailable')
      return sendJson(res, 200, { id: post.id })
    }
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs))
    sendJson(res, 200, { id: record(pageId, fields).id })
  }

  function photo(request: FakeRequest, res: ServerResponse, pageId: string) {
    const published =
      !/name="published"\r\n\r\nfalse/.test(request.body.toString('latin1')) &&
      request.fields.published !== 'false' &&
      request.fields.published !== false
    const id = String(next++)
    photos.push({ id, pageId, bytes: request.body.length, published })
    sendJson(res, 200, published ? { id, post_id: `${pageId}_${id}` } : { id })
  }

  const http = await startServer(async (request, res) => {
    const [, v, pageId, edge] = request.path.split('/')
    if (v !== version || !pageId) return error(res, 400, 2500, 'Unknown path components')
    const token = tokenOf(request)
    if (!token) return error(res, 400, 104, 'An access token is required to request this resource.')
    if (revoked.has(token))
      return error(res, 400, 190, 'Error validating access token: The session has been invalidated.', { subcode: 460 })
    if (request.method === 'POST' && edge === 'feed') return feed(request, res, pageId)
    if (request.method === 'POST' && edge === 'photos') return photo(request, res, pageId)
    error(res, 400, 100, `Unsupported post request: ${request.path}`)
  })

  return {
    url: http.url,
    /** Every post the fake accepted, in order: the fake's own record. */
    posts,
    photos,
    answerNext: (...more: FacebookAnswer[]) => answers.push(...more),
    holds,
    revoke: (token: string) => revoked.add(token),
    close: () => {
      holds.releaseAll()
      return http.close()
    },
  }
}

export type FakeFacebook = Awaited<ReturnType<typeof startFakeFacebook>>
