// The console in a real browser against the real stack: sign-in, roles, logging a contact, CSRF, session expiry.
// Every page visited is screenshotted (test/browser/screenshots/) and checked by axe.
import t from 'tap'
import type { Page } from 'playwright-core'
import { startStack, visited, type Stack } from './stack.ts'

const ADMIN_PASSWORD = 'a long admin passphrase'

let stack: Stack
t.before(async () => {
  stack = await startStack(t)
})

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

t.test('first sign-in with the printed one-time password, then the forced password change', async (t) => {
  const page = await stack.newPage(t)
  await page.goto(stack.url)
  await page.getByRole('heading', { name: 'Sign in to the CCM console' }).waitFor()
  await visited(t, page, 'sign-in')
  await signIn(page, 'admin', stack.adminPassword)
  await page.getByRole('heading', { name: 'Change your password' }).waitFor()
  await visited(t, page, 'password-change-forced')
  await page.getByLabel('Current password').fill(stack.adminPassword)
  await page.getByLabel('New password', { exact: true }).fill('too short')
  await page.getByLabel('New password again').fill('too short')
  await page.getByRole('button', { name: 'Change password' }).click()
  await page.getByText('Use at least 12 characters').waitFor()
  await page.getByLabel('New password', { exact: true }).fill(ADMIN_PASSWORD)
  await page.getByLabel('New password again').fill(ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Change password' }).click()
  await page.getByRole('navigation', { name: 'Main' }).waitFor()
  await page.getByRole('link', { name: 'Users' }).waitFor()
  await visited(t, page, 'dashboard')
})
