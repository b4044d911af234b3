import t from 'tap'
import { waitFor } from '@ccm/testing'
import type { XOAuth2Credentials } from '../src/platforms/x.ts'
import { build, inSeconds } from './helper.ts'

t.test('an expiring OAuth 2.0 token is refreshed once under a lock, stored rotated, then used', async (t) => {
  const { app, x, admin, approvedPost, getPost } = await build(t)
  x.issueRefreshToken('refresh-1')
  const created = await app.inject({
    method: 'POST',
    url: '/v1/channels',
    headers: admin,
    payload: {
      platform: 'x',
      name: 'ISU on X (OAuth 2.0)',
      credentials: {
        clientId: 'client-1',
        accessToken: 'expired-access',
        refreshToken: 'refresh-1',
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      },
    },
  })
  t.equal(created.statusCode, 201, created.body)
  const channelId = created.json().id
  const at = inSeconds(0.5)
  // Two deliveries on the channel at once: the single-use refresh token must be spent only once.
  const posts = [
    await approvedPost({ text: 'OAuth 2.0 one.', channels: [channelId], scheduledAt: at }),
    await approvedPost({ text: 'OAuth 2.0 two.', channels: [channelId], scheduledAt: at }),
  ]
  for (const post of posts)
    await waitFor(`${post.id} published`, async () => (await getPost(post.id)).status === 'published', 10_000)
  const sent = x.posts.filter((p) => p.text.startsWith('OAuth 2.0'))
  t.equal(sent.length, 2)
  t.ok(
    sent.every((p) => p.user.startsWith('x2-access-')),
    'posted with the refreshed token',
  )
  t.equal(new Set(sent.map((p) => p.user)).size, 1, 'one refresh for both')
  const stored = await app.social.channelsService.credentialsOf<XOAuth2Credentials>(channelId)
  t.equal(stored.accessToken, sent[0]!.user, 'the rotated token was stored')
  t.match(stored.refreshToken, /^x2-refresh-/)
  t.ok(Date.parse(stored.expiresAt!) > Date.now() + 3600_000)
  const channel = (await app.inject({ method: 'GET', url: `/v1/channels/${channelId}`, headers: admin })).json()
  t.equal(channel.status, 'active')
})
