import type { Test } from 'tap'
import { bearer, createTestDatabase, testEnv, waitFor, type TestDatabase } from '@ccm/testing'
import type { Role } from '@ccm/http'
import { buildApp } from '../src/app.ts'
import { readConfig, type Config } from '../src/config.ts'
import { migrations } from '../src/migrations.ts'
import { startFakeFacebook, type FakeFacebook } from './fakes/facebook.ts'
import { startFakeX, type FakeX } from './fakes/x.ts'

export const PAGE_ID = '104857600123'

/** The settings a test run uses: the shared test settings, its own database, the fakes, quick sweeps. */
export function socialTestEnv(
  database: string,
  x: FakeX,
  facebook: FakeFacebook,
  overrides: Record<string, string> = {},
): Record<string, string | undefined> {
  return testEnv({
    SOCIAL_DATABASE_URL: database,
    SOCIAL_SWEEP_MS: '500',
    SOCIAL_PUBLISH_TIMEOUT_MS: '1500',
    X_API_BASE_URL: x.url,
    FACEBOOK_GRAPH_BASE_URL: facebook.url,
    ...overrides,
  })
}

/**
 * The real social app over a database and Kafka topics of this test's own (or over `shared`, which
 * the caller drops), with fake X and Facebook servers; all torn down when the test ends.
 */
export async function build(t: Test, overrides: Record<string, string> = {}, shared?: TestDatabase) {
  const database = shared ?? (await createTestDatabase('ccm_social', migrations))
  const x = await startFakeX()
  const facebook = await startFakeFacebook()
  const config: Readonly<Config> = readConfig(socialTestEnv(database.url, x, facebook, overrides))
  const app = await buildApp(config)
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await x.close()
    await facebook.close()
    if (!shared) await database.drop()
  })
  const as = async (role: Role, sub?: string) => ({ authorization: await bearer(config, role, sub) })
  const admin = await as('admin', 'admin.user')

  async function channel(platform: 'x' | 'facebook', extra: Record<string, unknown> = {}) {
    const credentials: Record<string, string> =
      platform === 'x'
        ? {
            appKey: 'app-key',
            appSecret: 'app-secret-XYZ',
            accessToken: `user-${Math.random().toString(36).slice(2)}`,
            accessSecret: 'access-secret-XYZ',
          }
        : { pageId: PAGE_ID, pageAccessToken: `page-token-${Math.random().toString(36).slice(2)}` }
    const res = await app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: admin,
      payload: { platform, name: `ISU ${platform}`, credentials, ...extra },
    })
    if (res.statusCode !== 201) throw new Error(`channel not created: ${res.body}`)
    return { ...res.json(), credentials } as { id: string; credentials: Record<string, string> }
  }

  /** Writes, submits and approves a post (author and approver differ), scheduled at `at`. */
  async function approvedPost(payload: Record<string, unknown>) {
    const author = await as('editor', 'author.one')
    const approver = await as('editor', 'approver.two')
    const created = await app.inject({ method: 'POST', url: '/v1/posts', headers: author, payload })
    if (created.statusCode !== 201) throw new Error(`post not created: ${created.body}`)
    const id = created.json().id as string
    const submitted = await app.inject({ method: 'POST', url: `/v1/posts/${id}/submit`, headers: author, payload: {} })
    if (submitted.statusCode !== 200) throw new Error(`post not submitted: ${submitted.body}`)
    const approved = await app.inject({
      method: 'POST',
      url: `/v1/posts/${id}/approve`,
      headers: approver,
      payload: { version: submitted.json().version },
    })
    if (approved.statusCode !== 200) throw new Error(`post not approved: ${approved.body}`)
    return approved.json() as { id: string; status: string; deliveries: { channelId: string; status: string }[] }
  }

  async function getPost(id: string) {
    return (await app.inject({ method: 'GET', url: `/v1/posts/${id}`, headers: admin })).json()
  }

  /** Waits until the post's delivery to `channelId` reaches `status`, and returns the post. */
  async function waitForDelivery(id: string, channelId: string, status: string, timeoutMs = 15_000) {
    return waitFor(
      `delivery ${channelId} of ${id} to be ${status}`,
      async () => {
        const post = await getPost(id)
        return post.deliveries.find(
          (d: { channelId: string; status: string }) => d.channelId === channelId && d.status === status,
        )
          ? post
          : null
      },
      timeoutMs,
    )
  }

  return { app, config, database, x, facebook, as, admin, channel, approvedPost, getPost, waitForDelivery }
}

export const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString()
