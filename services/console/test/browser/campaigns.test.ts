// The campaigns pages in a real browser against the real stack: a campaign made by filter, its board (a drag to
// paused with a reason, a refused drag explained, a stage moved live by a meeting logged elsewhere), the target's
// drawer, tasks and progress. Every page visited is screenshotted and checked by axe.
import t from 'tap'
import type { Page } from 'playwright-core'
import { waitFor } from '@ccm/testing'
import { startStack, visited, type Stack } from './stack.ts'
import { signedIn } from './staff.ts'

let stack: Stack
t.before(async () => {
  stack = await startStack(t)
})

/** Drags a card onto a column with the mouse, in small steps as a hand would (dnd-kit starts after 6 pixels). */
async function drag(page: Page, card: string, column: string) {
  await page.getByTestId(card).scrollIntoViewIfNeeded()
  const from = (await page.getByTestId(card).boundingBox())!
  const to = (await page.getByTestId(column).boundingBox())!
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await page.mouse.down()
  await page.mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2, { steps: 4 })
  await page.waitForTimeout(300) // dnd-kit measures the columns once the drag has started
  await page.mouse.move(to.x + to.width / 2, to.y + 60, { steps: 12 })
  await page.waitForTimeout(300)
  await page.mouse.up()
}

async function choose(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label }).click()
  await page.getByRole('option', { name: option, exact: true }).click()
}

t.test('a campaign by filter, moved on its board by hand and live, with its drawer, tasks and progress', async (t) => {
  const admin = await signedIn(stack, 'admin', stack.adminPassword)
  t.teardown(() => admin.context.close())
  const { page, api } = admin
  // Campaigns learns the states from contacts' events: wait until it knows them before targeting by filter.
  await waitFor('campaigns to know the states', async () => {
    const summary = await api('GET', '/api/campaigns/v1/universalization')
    return summary.statesParties > 100
  })

  await page.goto(`${stack.url}/campaigns/new`)
  await page.getByRole('textbox', { name: /^Name/ }).fill('Signatories in Africa 2027')
  await page
    .getByRole('textbox', { name: /^Objective/ })
    .fill('Three ratifications among the African signatories before the next meeting')
  await choose(page, 'Treaty status', 'Signatories')
  await choose(page, 'UN regional group', 'African')
  await page
    .getByTestId('filter-count')
    .getByText(/\d+ states match/)
    .waitFor()
  await visited(t, page, 'campaign-new')
  await page.getByRole('button', { name: 'Create the campaign' }).click()
  await page.getByRole('heading', { name: 'Signatories in Africa 2027' }).waitFor()
  await page.getByTestId('column-not_engaged').getByTestId('target-KEN').waitFor()
  await visited(t, page, 'campaign-board')

  // Paused needs a reason: the modal asks, the card lands there, and a reload shows it there still.
  await drag(page, 'target-KEN', 'column-paused')
  const dialog = page.getByRole('dialog', { name: 'Why is this target moving?' })
  await dialog.getByLabel('Reason').fill('Elections in August: the ministry asked us to come back after them')
  await visited(t, page, 'campaign-move-reason')
  await dialog.getByRole('button', { name: 'Move to Paused' }).click()
  await page.getByTestId('column-paused').getByTestId('target-KEN').waitFor()
  await dialog.waitFor({ state: 'hidden' })
  await page.reload()
  await page.getByTestId('column-paused').getByTestId('target-KEN').waitFor()
  t.pass('Kenya is paused, after a reload too')

  // Joined follows the depositary's records: the drag is refused and said why, the card stays where it was.
  await drag(page, 'target-UGA', 'column-joined')
  await page.getByText("Joined and In force follow the depositary's records").waitFor()
  await page.getByTestId('column-not_engaged').getByTestId('target-UGA').waitFor()
  t.pass('a move into joined is explained, not lost')

  // A meeting logged elsewhere (through the API) moves Uganda to engaged on the open board, without a reload.
  const logged = Date.now()
  await api('POST', '/api/contacts/v1/interactions', {
    kind: 'meeting',
    occurredAt: new Date().toISOString(),
    states: ['UGA'],
    summary: 'Bilateral on the accession timetable',
  })
  await page.getByTestId('column-engaged').getByTestId('target-UGA').waitFor({ timeout: 15_000 })
  t.comment(`the logged meeting showed on the open board after ${Date.now() - logged} ms`)
  t.pass('a stage moved elsewhere appears live')

  // The drawer: the history with its evidence.
  await page.getByTestId('target-UGA').click()
  const drawer = page.getByRole('dialog', { name: 'Uganda' })
  await drawer.getByText('Bilateral on the accession timetable').waitFor()
  await drawer.getByText('Added as Not engaged').waitFor()
  await visited(t, page, 'campaign-target-drawer')
  await page.keyboard.press('Escape')
  await drawer.waitFor({ state: 'hidden' })

  // Tasks: add one about Kenya, then complete it.
  await page.getByRole('tab', { name: /Tasks/ }).click()
  await page.getByLabel('Task', { exact: true }).fill('Send the accession kit to the mission')
  await page.getByRole('button', { name: 'Add task' }).click()
  const done = page.getByRole('checkbox', { name: 'Mark “Send the accession kit to the mission” done' })
  await done.waitFor()
  await visited(t, page, 'campaign-tasks')
  await done.click()
  await waitFor('the task to be done', () => done.isDisabled())

  await page.getByRole('tab', { name: 'Progress' }).click()
  await page.getByRole('heading', { name: 'Funnel' }).waitFor()
  await page.getByRole('heading', { name: 'Median days per stage' }).waitFor()
  await visited(t, page, 'campaign-progress')

  await page.goto(`${stack.url}/campaigns`)
  await page.getByRole('link', { name: 'Signatories in Africa 2027' }).first().waitFor()
  await visited(t, page, 'campaigns-list')
})
