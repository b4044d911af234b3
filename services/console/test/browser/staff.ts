/**
 * Signed-in browser contexts for the campaigns and posts journeys: each person gets a context of their own
 * (cookies, CSRF token), signed in and past the forced password change through the console's API, so a test
 * spends its time on the pages it is about. `api` calls the console (and through it the services) as that person.
 */
import type { APIResponse, BrowserContext, Page } from 'playwright-core'
import type { Stack } from './stack.ts'

export interface Staff {
  context: BrowserContext
  page: Page
  api: (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => Promise<any> // JSON of any endpoint
}

const PASSWORD = 'a long staff passphrase'

async function json(response: APIResponse, what: string) {
  if (!response.ok()) throw new Error(`${what}: ${response.status()} ${await response.text()}`)
  return response.status() === 204 ? null : response.json()
}

export async function signedIn(stack: Stack, username: string, password: string): Promise<Staff> {
  const context = await stack.browser.newContext({
    viewport: { width: 1800, height: 1000 },
    locale: 'en-GB',
    timezoneId: 'Europe/Zurich',
  })
  const request = context.request
  const base = stack.url
  let session = await json(await request.post(`${base}/api/session`, { data: { username, password } }), 'sign-in')
  if (session.user.mustChangePassword) {
    await json(
      await request.post(`${base}/api/session/password`, {
        data: { currentPassword: password, newPassword: PASSWORD },
        headers: { 'x-csrf-token': session.csrfToken },
      }),
      'password change',
    )
    session = await json(await request.get(`${base}/api/session`), 'session')
  }
  const api: Staff['api'] = async (method, path, body) =>
    json(
      await request.fetch(`${base}${path}`, {
        method,
        data: body,
        headers: { 'x-csrf-token': session.csrfToken },
      }),
      `${method} ${path}`,
    )
  const page = await context.newPage()
  return { context, page, api }
}

/** The first admin (with the printed one-time password), and an editor they create through the users API. */
export async function adminAndEditor(stack: Stack, editor: string): Promise<{ admin: Staff; editor: Staff }> {
  const admin = await signedIn(stack, 'admin', stack.adminPassword)
  const created = await admin.api('POST', '/api/users', { username: editor, displayName: editor, role: 'editor' })
  return { admin, editor: await signedIn(stack, editor, created.oneTimePassword) }
}
