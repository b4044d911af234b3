/**
 * The typed clients of the three services, reached through the console server's proxy (`/api/<service>/v1/…`).
 * Types come from the generated `<service>.d.ts` (`npm run console:client`). Every call:
 * - sends `x-csrf-token` on writes (the server refuses a write without it);
 * - on 401 marks the session expired, so the app shows sign-in over the page, keeping what the page holds;
 * - throws a ProblemError for any other failure, so TanStack Query and forms see one kind of error.
 * Use `ok(call)` to get the data of a successful call typed without `undefined`.
 */
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths as CampaignsPaths } from './campaigns'
import type { paths as ContactsPaths } from './contacts'
import type { paths as SocialPaths } from './social'
import { problemFrom } from './problem'
import { sessionStore } from '../session-store'

export { ProblemError, type Problem } from './problem'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Adds the CSRF header to writes, and turns failures into ProblemErrors (401 also ends the session in the app). */
export const apiMiddleware: Middleware = {
  onRequest({ request }) {
    const token = sessionStore.get().csrfToken
    if (!SAFE.has(request.method) && token) request.headers.set('x-csrf-token', token)
    return request
  },
  async onResponse({ response }) {
    if (response.ok) return response
    const error = await problemFrom(response)
    if (response.status === 401) sessionStore.expire()
    if (response.status === 403 && error.is('password-change-required')) void sessionStore.refresh()
    throw error
  },
}

function client<Paths extends object>(service: string) {
  const c = createClient<Paths>({ baseUrl: `/api/${service}`, credentials: 'same-origin' })
  c.use(apiMiddleware)
  return c
}

export const contacts = client<ContactsPaths>('contacts')
export const campaigns = client<CampaignsPaths>('campaigns')
export const social = client<SocialPaths>('social')

/** The data of a call that succeeded (the middleware threw otherwise); for use in query and mutation functions. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown }>): Promise<T> {
  const { data } = await call
  return data as T // 2xx only reach here; a 204's data is undefined, which T then allows
}

/** A fetch of the console server's own routes (`/api/session`, `/api/users`) with the same CSRF and error rules. */
export async function consoleFetch<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init
  const headers = new Headers(rest.headers)
  if (json !== undefined) headers.set('content-type', 'application/json')
  const method = (rest.method ?? 'GET').toUpperCase()
  const token = sessionStore.get().csrfToken
  if (!SAFE.has(method) && token) headers.set('x-csrf-token', token)
  const response = await fetch(`/api${path}`, {
    ...rest,
    method,
    headers,
    credentials: 'same-origin',
    body: json === undefined ? rest.body : JSON.stringify(json),
  })
  if (!response.ok) {
    const error = await problemFrom(response)
    if (response.status === 401 && path !== '/session') sessionStore.expire()
    throw error
  }
  return (response.status === 204 ? undefined : await response.json()) as T
}
