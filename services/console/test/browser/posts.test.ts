// The posts pages in a real browser against the real stack, with social publishing to the fake X and Facebook of
// its tests: a post too long for X (the counter says by how much, submit disabled), fixed and submitted; approval
// refused to its author with the API's reason, given by another editor; published, and shown so on the calendar.
// Every page visited is screenshotted and checked by axe.
import t from 'tap'
import { startStack, visited, type Stack } from './stack.ts'
import { signedIn } from './staff.ts'

let stack: Stack
t.before(async () => {
  stack = await startStack(t)
})

const TOO_LONG =
  'Vanuatu deposited its instrument of accession to the Convention on Cluster Munitions today in New York, ' +
  'becoming the 113th State Party. The Convention bans the use, production, transfer and stockpiling of cluster ' +
  'munitions, and obliges States Parties to clear contaminated land and assist the victims of these weapons.'
const FIXED =
  'Vanuatu joins the Convention on Cluster Munitions as its 113th State Party. https://www.clusterconvention.org/'
const THREAD = 'The Convention bans cluster munitions and obliges States Parties to clear land and assist victims.'

t.test('a post from a too-long draft to published, approved by a second editor', async (t) => {
  const admin = await signedIn(stack, 'admin', stack.adminPassword)
  t.teardown(() => admin.context.close())
  const username = `marie.${Date.now().toString(36)}`
  const created = await admin.api('POST', '/api/users', {
    username,
    displayName: 'Marie Dupont',
    role: 'editor',
  })
  const existing = (await admin.api('GET', '/api/social/v1/channels')).items.map((c: { name: string }) => c.name)
  for (const channel of [
    {
      platform: 'x',
      name: 'ISU on X',
      default: true,
      credentials: { appKey: 'app-key', appSecret: 'app-secret', accessToken: 'user-isu', accessSecret: 'secret' },
    },
    {
      platform: 'facebook',
      name: 'ISU on Facebook',
      default: true,
      credentials: { pageId: '104857600123', pageAccessToken: 'page-token-isu' },
    },
  ].filter((c) => !existing.includes(c.name)))
    await admin.api('POST', '/api/social/v1/channels', channel)

  const marie = await signedIn(stack, username, created.oneTimePassword)
  t.teardown(() => marie.context.close())
  const page = marie.page
  await page.goto(`${stack.url}/posts/new`)
  await page.getByRole('checkbox', { name: 'ISU on X (X)' }).waitFor()
  t.ok(await page.getByRole('checkbox', { name: 'ISU on X (X)' }).isChecked(), 'default channels are chosen')

  // Too long for X: the counter says by how much, and submit is disabled.
  await page.getByLabel('Text', { exact: true }).fill(TOO_LONG)
  const xCounter = page.getByTestId('counter-x').first()
  const over = Number(await xCounter.getAttribute('data-over'))
  t.ok(over > 0, `the X counter is ${over} over`)
  await xCounter.getByText(`${over} over the limit`).waitFor()
  const submit = page.getByRole('button', { name: 'Submit for approval' })
  t.ok(await submit.isDisabled(), 'submit is disabled while a text is too long')
  await visited(t, page, 'post-compose-too-long')

  // Fixed, with a second post in the thread: it fits, and goes for approval.
  await page.getByLabel('Text', { exact: true }).fill(FIXED)
  await page.getByRole('button', { name: 'Add a post to the thread' }).click()
  await page.getByRole('textbox', { name: 'Post 2 of the thread' }).fill(THREAD)
  t.equal(await xCounter.getAttribute('data-over'), '0', 'the X counter fits once fixed')
  t.notOk(await submit.isDisabled(), 'submit is enabled once it fits')
  await page.getByTestId('preview-x').getByText(THREAD).waitFor()
  await visited(t, page, 'post-compose')
  await submit.click()
  await page.getByRole('heading', { name: 'Post', exact: true }).waitFor()
  await page.getByText('Awaiting approval').first().waitFor()
  const postUrl = page.url()

  // Its author may not approve it: the API's reason is shown.
  await page.getByRole('button', { name: 'Approve' }).click()
  await page.getByTestId('review-error').getByText('another editor or admin must approve it').waitFor()
  await visited(t, page, 'post-approval-refused')

  // Its author rewords it while it waits: the approver sees what changed since it was submitted.
  await page.getByRole('link', { name: 'Edit' }).click()
  await page.getByLabel('Text', { exact: true }).fill(FIXED.replace('joins', 'has joined'))
  await page.getByRole('button', { name: 'Submit for approval' }).click()
  await page.getByRole('heading', { name: 'Post', exact: true }).waitFor()

  // Another editor (the admin here) approves it from the queue, then publishes it now.
  const review = admin.page
  await review.goto(`${stack.url}/posts`)
  const item = review.getByTestId(/^queue-/).filter({ hasText: 'Vanuatu has joined' })
  await item.waitFor()
  const changes = item.getByTestId('changes')
  await changes.getByText(/^Changed since marie\.\w+ submitted it on /).waitFor()
  t.equal(await changes.locator('del').first().textContent(), 'joins ', 'the word taken out is shown struck')
  t.equal(await changes.locator('ins').first().textContent(), 'has joined ', 'and the words put in, marked')
  await visited(t, review, 'posts-queue')
  await item.getByRole('button', { name: 'Approve' }).click()
  await item.waitFor({ state: 'detached' })
  await review.goto(postUrl)
  await review.getByRole('button', { name: 'Publish now' }).click()
  await review.getByTestId('delivery-x').getByText('Published').waitFor({ timeout: 30_000 })
  await review.getByTestId('delivery-facebook').getByText('Published').waitFor({ timeout: 30_000 })
  await visited(t, review, 'post-published')

  // The calendar shows it published, this month and this week.
  await review.goto(`${stack.url}/posts?tab=calendar`)
  const entry = review.locator('[data-testid^="calendar-"][data-status="published"]')
  await entry.first().waitFor()
  await visited(t, review, 'posts-calendar-month')
  await review.getByText('Week', { exact: true }).click()
  await entry.first().waitFor()
  await visited(t, review, 'posts-calendar-week')
})
