import { PlatformFailure, nothingWasSent, type PublishRequest, type PublishResult } from './outcome.ts'

export interface FacebookCredentials {
  pageId: string
  pageAccessToken: string
}

const throttlingCodes = new Set([4, 17, 32, 613])
const isThrottled = (code: number) => throttlingCodes.has(code) || (code >= 80001 && code <= 80014)
const DEFAULT_THROTTLE_WAIT_MS = 5 * 60_000

interface GraphError {
  message?: string
  code?: number
  error_subcode?: number
}

/** The longest `estimated_time_to_regain_access` (minutes) in the usage headers, if any. */
function regainAccessAt(headers: Headers): Date {
  let minutes = 0
  for (const name of ['x-business-use-case-usage', 'x-app-usage', 'x-page-usage']) {
    const value = headers.get(name)
    if (!value) continue
    try {
      const usage = JSON.parse(value) as unknown
      const entries = Array.isArray(usage)
        ? usage
        : typeof usage === 'object' && usage
          ? Object.values(usage).flat()
          : []
      for (const entry of [usage, ...entries] as { estimated_time_to_regain_access?: number }[]) {
        minutes = Math.max(minutes, Number(entry?.estimated_time_to_regain_access ?? 0))
      }
    } catch {}
  }
  return new Date(Date.now() + (minutes > 0 ? minutes * 60_000 : DEFAULT_THROTTLE_WAIT_MS))
}

export function classifyGraphError(
  status: number,
  error: GraphError,
  headers: Headers,
  stage: 'post' | 'media',
): PlatformFailure {
  const code = Number(error.code ?? 0)
  const what =
    `Facebook error ${code}${error.error_subcode ? `/${error.error_subcode}` : ''}: ` + (error.message ?? 'no message')
  if (isThrottled(code)) return new PlatformFailure('rate_limited', what, regainAccessAt(headers))
  if (code === 190) return new PlatformFailure('auth', what)
  if (code === 506) return new PlatformFailure('duplicate', what)
  if (code === 1 || code === 2 || status >= 500) {
    // An unpublished photo is not a post: a failed upload can be tried again.
    return new PlatformFailure(stage === 'media' ? 'refused' : 'unknown', `${what} (the post may or may not exist)`)
  }
  return new PlatformFailure('rejected', what)
}

export function createFacebookClient(options: { baseUrl: string; version: string; timeoutMs: number }) {
  const base = options.baseUrl.replace(/\/$/, '')

  async function call(
    path: string,
    token: string,
    body: FormData | Record<string, unknown>,
    stage: 'post' | 'media',
  ): Promise<Record<string, string>> {
    let response: Response
    try {
      response = await fetch(`${base}/${options.version}/${path}`, {
        method: 'POST',
        // In a header, never in the URL: URLs end up in logs.
        headers: {
          authorization: `Bearer ${token}`,
          ...(body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        },
        body: body instanceof FormData ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      })
    } catch (error) {
      if (nothingWasSent(error) || stage === 'media')
        return Promise.reject(
          new PlatformFailure('refused', `Facebook could not be reached: ${(error as Error).message}`),
        )
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer from Facebook within ${options.timeoutMs} ms`
          : `connection to Facebook lost (${(error as Error).message})`
      throw new PlatformFailure('unknown', `${reason}: the post may or may not exist`)
    }
    let json: { error?: GraphError } & Record<string, string>
    try {
      json = (await response.json()) as typeof json
    } catch {
      throw new PlatformFailure(
        stage === 'media' ? 'refused' : 'unknown',
        `Facebook answered ${response.status} without JSON: the post may or may not exist`,
      )
    }
    if (!response.ok || json.error) throw classifyGraphError(response.status, json.error ?? {}, response.headers, stage)
    return json
  }

  return {
    /** Uploads each image unpublished, then posts the message with them attached: one post. */
    async publish(credentials: FacebookCredentials, request: PublishRequest): Promise<PublishResult> {
      if (request.alreadyPosted[0])
        return { remoteIds: request.alreadyPosted, url: `https://www.facebook.com/${request.alreadyPosted[0]}` }
      const token = credentials.pageAccessToken
      const attached: { media_fbid: string }[] = []
      for (const m of request.media) {
        const form = new FormData()
        form.set('published', 'false')
        if (m.altText) form.set('alt_text_custom', m.altText)
        form.set('source', new Blob([m.bytes], { type: m.contentType }), 'image')
        const photo = await call(`${credentials.pageId}/photos`, token, form, 'media')
        attached.push({ media_fbid: String(photo.id) })
      }
      const post = await call(
        `${credentials.pageId}/feed`,
        token,
        {
          message: request.texts[0],
          ...(attached.length ? { attached_media: attached } : {}),
        },
        'post',
      )
      const id = String(post.id)
      await request.onPosted(id, 0)
      return { remoteIds: [id], url: `https://www.facebook.com/${id}` }
    },
  }
}

export type FacebookClient = ReturnType<typeof createFacebookClient>
