/**
 * The whole system for the browser tests, as in production: contacts (seeded with its 197 states), campaigns and
 * social (with the fake X and Facebook of social's tests) each in its own process over its own test database, all
 * on Kafka topics of this run's own, and the console server in front serving the built app. Chromium (Debian's)
 * drives it through playwright-core. Everything is stopped and dropped when the test ends.
 */
import { execFileSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { basename, join } from 'node:path'
import type { Test } from 'tap'
import { chromium, type Browser, type Page } from 'playwright-core'
import { AxeBuilder } from '@axe-core/playwright'
import { createPool, type Db } from '@ccm/db'
import { createTestDatabase, spawnServer, testEnv, uniqueTopicPrefix, waitFor, type TestDatabase } from '@ccm/testing'
import { migrations as contactsMigrations } from '../../../contacts/src/migrations.ts'
import { seedStates } from '../../../contacts/src/services/seed.ts'
import { migrations as campaignsMigrations } from '../../../campaigns/src/migrations.ts'
import { migrations as socialMigrations } from '../../../social/src/migrations.ts'
import { startFakeFacebook } from '../../../social/test/fakes/facebook.ts'
import { startFakeX } from '../../../social/test/fakes/x.ts'
import { migrations as consoleMigrations } from '../../src/migrations.ts'

const consoleDir = new URL('../..', import.meta.url).pathname
const servicesDir = join(consoleDir, '..')
const webDir = join(consoleDir, 'web')
/** The built app the console serves. */
export const webDist = join(webDir, 'dist')
export const screenshotsDir = join(consoleDir, 'test/browser/screenshots')

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

function newestIn(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** Builds the app unless web/dist is newer than every source file (the tests exercise what ships). */
export function ensureBuilt(): void {
  const index = join(webDir, 'dist/index.html')
  const sources = Math.max(newestIn(join(webDir, 'src')), statSync(join(webDir, 'index.html')).mtimeMs)
  if (existsSync(index) && statSync(index).mtimeMs > sources) return
  execFileSync('pnpm', ['exec', 'vite', 'build', 'web', '--logLevel', 'warn'], { cwd: consoleDir, stdio: 'inherit' })
}

/** What the stack needs of whoever runs it (a tap test, or the benchmark): somewhere to hang its clean-up. */
export interface Owner {
  teardown(fn: () => unknown): void
}

export interface StackOptions {
  /** Fills contacts' database once its states are seeded, before contacts starts (the benchmark's 100,000 people). */
  seedContacts?: (db: Db) => Promise<void>
}

export interface Stack {
  /** The console's URL, as a browser opens it. */
  url: string
  /** The first admin's one-time password, as the migration printed it. */
  adminPassword: string
  browser: Browser
  /** The environment the console runs with, for a second console process (another idle timeout, say). */
  consoleEnv: Record<string, string | undefined>
  /** A page in a browser context of its own (its own cookies), closed when `owner` ends. */
  newPage(owner: Owner, url?: string): Promise<Page>
  /** Starts another console server on the same databases and services, with `overrides`; stopped at the end. */
  startConsole(overrides: Record<string, string>): Promise<string>
}

/**
 * The environment for a child process, without the test runner's own: tap puts its process-info loader in
 * NODE_OPTIONS, and children that inherit it report to this run as if they were tests, and start far slower.
 * tap's spawn hook adds its loader back all the same, so coverage is turned off for the child: it compiles the
 * sources with tsx as well, and its coverage, merged by byte offset with the tests', credits and debits wrong lines.
 */
function childEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const runnerOwn = (key: string) => key === 'NODE_OPTIONS' || key.startsWith('TAP') || key.startsWith('_TAPJS')
  return {
    ...Object.fromEntries(Object.entries(env).filter(([key]) => !runnerOwn(key))),
    _TAPJS_PROCESSINFO_COVERAGE_: '0',
  }
}

/** Starts a service's process and waits until it answers /healthz; it is killed when the test ends. */
async function startProcess(t: Owner, dir: string, env: Record<string, string | undefined>, port: number) {
  // Under tsx, as npm start runs them: spawnServer's default loader (the test runner's, for coverage) compiles each
  // service anew and took over a minute per service on this two-core machine; these tests measure the console.
  const child = spawnServer(dir, childEnv(env), ['--import', 'tsx', 'src/server.ts'])
  // Each service's log, kept beside the screenshots for when a run fails.
  const log = createWriteStream(join(screenshotsDir, `${basename(dir)}-${port}.log`))
  child.stdout!.pipe(log)
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)))
  t.teardown(() => {
    child.kill('SIGKILL')
  })
  const url = `http://127.0.0.1:${port}`
  try {
    // /healthz, not /readyz: readiness gives Kafka two seconds to answer, which a loaded two-core machine may not
    // manage for minutes; the relay and consumers catch up by themselves once it does.
    await waitFor(`${dir} to listen`, async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok, 300_000)
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${stderr}`)
  }
  return url
}

export async function startStack(t: Owner, options: StackOptions = {}): Promise<Stack> {
  ensureBuilt()
  mkdirSync(screenshotsDir, { recursive: true })
  const databases: TestDatabase[] = []
  t.teardown(async () => {
    for (const database of databases) await database.drop().catch(() => {})
  })
  const [contactsDb, campaignsDb, socialDb, consoleDb] = await Promise.all([
    createTestDatabase('ccm_contacts', contactsMigrations),
    createTestDatabase('ccm_campaigns', campaignsMigrations),
    createTestDatabase('ccm_social', socialMigrations),
    createTestDatabase('ccm_console', consoleMigrations),
  ])
  databases.push(contactsDb!, campaignsDb!, socialDb!, consoleDb!)
  const pool = createPool(contactsDb!.url, { max: 2 })
  try {
    await seedStates(pool)
    await options.seedContacts?.(pool)
  } finally {
    await pool.end()
  }

  const x = await startFakeX()
  const facebook = await startFakeFacebook()
  t.teardown(async () => {
    await x.close()
    await facebook.close()
  })

  const prefix = uniqueTopicPrefix()
  const [contactsPort, campaignsPort, socialPort] = await Promise.all([freePort(), freePort(), freePort()])
  const common = { KAFKA_TOPIC_PREFIX: prefix, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' }
  const [contactsUrl, campaignsUrl, socialUrl] = await Promise.all([
    startProcess(
      t,
      join(servicesDir, 'contacts'),
      testEnv({ ...common, CONTACTS_PORT: String(contactsPort), CONTACTS_DATABASE_URL: contactsDb!.url }),
      contactsPort,
    ),
    startProcess(
      t,
      join(servicesDir, 'campaigns'),
      testEnv({ ...common, CAMPAIGNS_PORT: String(campaignsPort), CAMPAIGNS_DATABASE_URL: campaignsDb!.url }),
      campaignsPort,
    ),
    startProcess(
      t,
      join(servicesDir, 'social'),
      testEnv({
        ...common,
        SOCIAL_PORT: String(socialPort),
        SOCIAL_DATABASE_URL: socialDb!.url,
        SOCIAL_SWEEP_MS: '500',
        X_API_BASE_URL: x.url,
        FACEBOOK_GRAPH_BASE_URL: facebook.url,
      }),
      socialPort,
    ),
  ])

  // The first admin, made as `npm start` makes it: the migration command prints the one-time password once.
  const consoleEnv = testEnv({
    ...common,
    CONSOLE_DATABASE_URL: consoleDb!.url,
    CONSOLE_METRICS_PORT: '0',
    CONSOLE_WEB_DIST: join(webDir, 'dist'),
    CONTACTS_URL: contactsUrl,
    CAMPAIGNS_URL: campaignsUrl,
    SOCIAL_URL: socialUrl,
  })
  const printed = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/migrate.ts'], {
    cwd: consoleDir,
    env: childEnv(consoleEnv),
    encoding: 'utf8',
  })
  const adminPassword = /one-time password (\S+)/.exec(printed)?.[1]
  if (!adminPassword) throw new Error(`no one-time password printed:\n${printed}`)

  const startConsole = (overrides: Record<string, string>) =>
    freePort().then((port) =>
      startProcess(t, consoleDir, { ...consoleEnv, ...overrides, CONSOLE_PORT: String(port) }, port),
    )
  const url = await startConsole({})

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  t.teardown(() => browser.close())
  async function newPage(owner: Owner, at = url) {
    // Reduced motion, as the theme respects it: axe reads each page at rest, not a toast halfway through fading in.
    const context = await browser.newContext({
      baseURL: at,
      viewport: { width: 1280, height: 860 },
      reducedMotion: 'reduce',
    })
    owner.teardown(() => context.close())
    return context.newPage()
  }
  return { url, adminPassword, browser, consoleEnv, startConsole, newPage }
}

/** Saves a screenshot of the page as `screenshots/<name>.png` (kept as an artifact of the CI run). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true })
}

/** Fails the test on any serious or critical accessibility violation axe finds on the page as it is. */
export async function checkAccessibility(t: Test, page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze()
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }))
  t.same(serious, [], `${name}: no serious or critical accessibility violation`)
}

/** A screenshot and the accessibility check, for every page a test visits. */
export async function visited(t: Test, page: Page, name: string): Promise<void> {
  await screenshot(page, name)
  await checkAccessibility(t, page, name)
}
