// The console in a real browser against the real stack: the first sign-in and the forced password change, users
// added by an admin, a viewer who sees no write control, logging a meeting with a new person from a state page,
// CSRF and session expiry. Every page visited is screenshotted (test/browser/screenshots/) and checked by axe.
import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { startStack, visited, webDist, type Stack } from './stack.ts'
import { signedIn } from './staff.ts'

const ADMIN_PASSWORD = 'a long admin passphrase'
const VIEWER_PASSWORD = 'a long viewer passphrase'

let stack: Stack
t.before(async () => {
  stack = await startStack(t)
})

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

async function changePassword(page: Page, current: string, next: string) {
  await page.getByLabel('Current password').fill(current)
  await page.getByLabel('New password', { exact: true }).fill(next)
  await page.getByLabel('New password again').fill(next)
  await page.getByRole('button', { name: 'Change password' }).click()
}

async function signedInAdmin(t: Test) {
  const page = await stack.newPage(t)
  await page.goto('/')
  await signIn(page, 'admin', ADMIN_PASSWORD)
  await page.getByRole('navigation', { name: 'Main' }).waitFor()
  return page
}

t.test('first sign-in with the printed one-time password, then the forced password change', async (t) => {
  const page = await stack.newPage(t)
  const scripts = new Set<string>()
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname
    if (path.endsWith('.js')) scripts.add(path)
  })
  await page.goto('/')
  await page.getByRole('heading', { name: 'Sign in to the CCM console' }).waitFor()
  await visited(t, page, 'sign-in')
  await signIn(page, 'admin', 'not the password')
  await page.getByText('The username or password is not right.').waitFor()
  await signIn(page, 'admin', stack.adminPassword)
  await page.getByRole('heading', { name: 'Change your password' }).waitFor()
  await visited(t, page, 'password-change-forced')
  await changePassword(page, stack.adminPassword, 'too short')
  await page.getByText('Use at least 12 characters').waitFor()
  await changePassword(page, stack.adminPassword, ADMIN_PASSWORD)
  await page.getByRole('navigation', { name: 'Main' }).waitFor()
  t.ok(await page.getByRole('link', { name: 'Users' }).isVisible(), 'an admin has the Users page')
  await page.getByRole('link', { name: 'Vanuatu' }).first().waitFor()
  await page.getByText('Your password is changed.').waitFor({ state: 'hidden' }) // the notice closes by itself
  await page.locator('svg path').nth(100).waitFor() // the map's shapes
  // The first screen's JavaScript, as the browser fetched it up to the drawn map, gzipped as a server would send it.
  const bytes = [...scripts].reduce((sum, path) => sum + gzipSync(readFileSync(`${webDist}${path}`)).length, 0)
  t.comment(
    `first screen (sign-in to the dashboard with its map): ${scripts.size} scripts, ` +
      `${Math.round(bytes / 1024)} KB gzipped`,
  )
  t.ok(bytes <= 300 * 1024, 'the first screen needs at most 300 KB of JavaScript, gzipped')
  await visited(t, page, 'dashboard')
})

t.test('every page of the shell, as an admin', async (t) => {
  const page = await signedInAdmin(t)
  const pages: [string, string, string][] = [
    ['/states', 'states', 'Afghanistan'],
    ['/states?status=signatory&sort=depositedOn', 'states-filtered', 'Signatory'],
    ['/states/KEN', 'state', 'Kenya'],
    ['/people', 'people', 'Find a person'],
    ['/organisations', 'organisations', 'Find an organisation'],
    ['/users', 'users', 'Add user'],
    ['/account', 'account', 'Change your password'],
  ]
  for (const [path, name, text] of pages) {
    await page.goto(path)
    await page.getByText(text).first().waitFor()
    await visited(t, page, name)
  }
  await page.goto('/states/KEN')
  for (const tab of ['Missions and people', 'Campaigns', 'Treaty history', 'Article 7 reports']) {
    await page.getByRole('tab', { name: tab }).click()
    await page.getByRole('tabpanel').waitFor()
  }
  await page.getByRole('tab', { name: 'Treaty history' }).click()
  await page.getByText('Signature').first().waitFor()
  await visited(t, page, 'state-history')
  await page.keyboard.press('Control+k')
  await page.getByRole('dialog').waitFor()
  // Typed once the search field has the focus (the dialog focuses it as it opens): keys sent before it would be lost.
  await page.getByRole('dialog').locator('input:focus').waitFor()
  await page.keyboard.type('keny')
  await page.getByRole('button', { name: /Kenya/ }).first().waitFor()
  await visited(t, page, 'command-menu')
  await page.keyboard.press('Enter')
  await page.waitForURL(/\/states\/KEN$/)
})

t.test('logging a meeting with a new person from a state page shows it on the timeline at once', async (t) => {
  const page = await signedInAdmin(t)
  await page.goto('/states/KEN')
  await page.getByRole('heading', { name: 'Kenya' }).waitFor()
  await page.getByRole('main').getByRole('button', { name: 'Log contact' }).click()
  const dialog = page.getByRole('dialog', { name: 'Log a contact' })
  await dialog.waitFor()
  const prefilled = dialog.getByText('Kenya', { exact: true }).first()
  await prefilled.waitFor({ timeout: 5000 }).catch(() => {})
  t.ok(await prefilled.isVisible(), 'the state is filled in from the page')
  await dialog.getByLabel('People').fill('Amina Wanjiru')
  await page.getByRole('option', { name: 'Create a new person: Amina Wanjiru' }).click()
  await dialog.getByLabel('Given name').waitFor()
  t.equal(await dialog.getByLabel('Given name').inputValue(), 'Amina')
  t.equal(await dialog.getByLabel('Family name').inputValue(), 'Wanjiru')
  await dialog.getByLabel('Job title').fill('Counsellor, Permanent Mission')
  await dialog.getByRole('button', { name: 'Add this person' }).click()
  await dialog.getByText('Amina Wanjiru').waitFor()
  // A summary left empty is refused at its field, and nothing typed is lost.
  await dialog.getByLabel('Notes', { exact: true }).fill('Capital is reviewing the accession file.')
  await dialog.getByRole('button', { name: 'Save contact' }).click()
  await dialog.getByText('Say in a line what the contact was about').waitFor()
  t.equal(await dialog.getByLabel('Notes', { exact: true }).inputValue(), 'Capital is reviewing the accession file.')
  await dialog.getByLabel('Summary').fill('Accession timetable discussed')
  await dialog.getByLabel('Add a follow-up').check()
  await visited(t, page, 'log-contact')
  await dialog.getByLabel('Summary').press('Control+Enter')
  // Saved, the dialog closes; refused, it stays open with the API's reason, which the failure then names.
  await dialog.waitFor({ state: 'hidden', timeout: 90_000 }).catch(async (error: Error) => {
    const shown = await dialog.getByRole('alert').allInnerTexts()
    throw new Error(`the dialog stayed open after Save, showing ${JSON.stringify(shown)}: ${error.message}`)
  })
  const timeline = page.getByRole('tabpanel', { name: 'Timeline' })
  await timeline.getByText('Accession timetable discussed', { exact: true }).first().waitFor()
  await timeline.getByRole('link', { name: 'Amina Wanjiru' }).waitFor()
  await timeline.getByText('Capital is reviewing the accession file.').waitFor()
  await visited(t, page, 'state-timeline')
  await timeline.getByRole('link', { name: 'Amina Wanjiru' }).click()
  await page.getByRole('heading', { name: 'Amina Wanjiru' }).waitFor()
  await page.getByText('Accession timetable discussed', { exact: true }).first().waitFor()
  await visited(t, page, 'person')
  await page.goto('/people')
  await page.getByRole('combobox', { name: 'Find a person' }).fill('wanjru') // a typo, forgiven by the search API
  await page.getByRole('option', { name: /Amina Wanjiru/ }).waitFor()
  await page.getByRole('combobox', { name: 'Find a person' }).press('Enter')
  await page.getByRole('heading', { name: 'Amina Wanjiru' }).waitFor()
})

t.test("a person's page offers the record that may be the same person, and merges it", async (t) => {
  const admin = await signedIn(stack, 'admin', ADMIN_PASSWORD)
  t.teardown(() => admin.context.close())
  const person = { givenName: 'Baraka', familyName: 'Otieno' }
  const kept = await admin.api('POST', '/api/contacts/v1/people', { ...person, emails: ['b.otieno@mfa.example'] })
  const other = await admin.api('POST', '/api/contacts/v1/people', { ...person, emails: ['baraka@home.example'] })
  const { page } = admin
  await page.goto(`${stack.url}/people/${kept.id}`)
  const duplicates = page.getByRole('region', { name: 'Possible duplicates' })
  await duplicates.getByText('baraka@home.example').waitFor()
  await visited(t, page, 'person-duplicates')
  await duplicates.getByRole('button', { name: 'Merge into this person' }).click()
  await page
    .getByRole('dialog', { name: 'Merge these records?' })
    .getByRole('button', { name: 'Merge into this person' })
    .click()
  await page.getByText('Merged.').waitFor()
  await duplicates.waitFor({ state: 'detached' })
  const merged = await admin.api('GET', `/api/contacts/v1/people/${kept.id}`)
  t.same(merged.emails, ['b.otieno@mfa.example', 'baraka@home.example'], 'the other record folded into this one')
  const gone = await page.request.get(`${stack.url}/api/contacts/v1/people/${other.id}`)
  t.equal(gone.status(), 404)
  t.match((await gone.json()).detail, kept.id, 'the other record says where it went')
})

// The viewer reads the interaction the journey above logs.
t.test('an admin adds a viewer, who signs in with the one-time password and sees no write control', async (t) => {
  const admin = await signedInAdmin(t)
  await admin.goto('/users')
  await admin.getByLabel('Username').fill('vera')
  await admin.getByLabel('Name', { exact: true }).fill('Vera Viewer')
  await admin.getByRole('combobox', { name: 'Role', exact: true }).click()
  await admin.getByRole('option', { name: 'Viewer' }).click()
  await admin.getByRole('button', { name: 'Add user' }).click()
  const password = await admin.getByTestId('one-time-password').textContent()
  t.ok(password, 'the one-time password is shown once')
  await visited(t, admin, 'users-one-time-password')
  await admin.getByRole('button', { name: 'I have given it' }).click()
  await admin.getByRole('cell', { name: 'vera', exact: true }).waitFor()

  const page = await stack.newPage(t)
  await page.goto('/')
  await signIn(page, 'vera', password!)
  await page.getByRole('heading', { name: 'Change your password' }).waitFor()
  await changePassword(page, password!, VIEWER_PASSWORD)
  await page.getByRole('navigation', { name: 'Main' }).waitFor()
  t.equal(await page.getByRole('button', { name: 'Log contact' }).count(), 0, 'no Log contact in the header')
  t.equal(await page.getByRole('link', { name: 'Users' }).count(), 0, 'no Users page')
  await page.goto('/states/KEN')
  await page.getByText('Accession timetable discussed', { exact: true }).first().waitFor()
  t.equal(await page.getByRole('button', { name: 'Log contact' }).count(), 0, 'no Log contact on the state page')
  await page.keyboard.press('l')
  await page.waitForTimeout(300)
  t.equal(await page.getByRole('dialog').count(), 0, 'the shortcut opens nothing')
  await visited(t, page, 'state-as-viewer')
  await page.goto('/users')
  await page.getByText('Page not found').waitFor()
})

t.test('a write without the CSRF header is refused', async (t) => {
  const page = await signedInAdmin(t)
  const answer = await page.evaluate(async () => {
    const response = await fetch('/api/contacts/v1/interactions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'call', occurredAt: new Date().toISOString(), summary: 'forged', states: ['KEN'] }),
    })
    return { status: response.status, body: (await response.json()) as { type: string } }
  })
  t.equal(answer.status, 403)
  t.match(answer.body.type, /csrf$/)
})

t.test('an idle session ends, and the app asks to sign in again over the page it was on', async (t) => {
  const url = await stack.startConsole({ CONSOLE_SESSION_IDLE_MINUTES: '0.05' })
  const page = await stack.newPage(t, url)
  await page.goto('/states/KEN')
  await signIn(page, 'admin', ADMIN_PASSWORD)
  await page.getByRole('heading', { name: 'Kenya' }).waitFor()
  await page.waitForTimeout(4000)
  await page.getByRole('link', { name: 'States' }).click()
  const dialog = page.getByRole('dialog', { name: /Your session ended/ })
  await dialog.waitFor()
  await visited(t, page, 'session-expired')
  await dialog.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD)
  await dialog.getByRole('button', { name: 'Sign in' }).click()
  await dialog.waitFor({ state: 'hidden' })
  await page.getByRole('link', { name: 'Afghanistan' }).waitFor()
})
