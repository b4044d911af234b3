import t from 'tap'
import { collectEvents } from '@ccm/events'
import { waitFor } from '@ccm/testing'
import { build, inSeconds, PAGE_ID } from './helper.ts'

t.test('publishing', async (t) => {
  const { config, x, facebook, channel, approvedPost, waitForDelivery } = await build(t)
  const onX = await channel('x')
  const onFacebook = await channel('facebook')

  t.test('a post goes out on both platforms at its time, once, with its remote ids and URLs', async (t) => {
    const collector = await collectEvents(config.KAFKA_BROKERS, [`${config.KAFKA_TOPIC_PREFIX}social.events`])
    t.teardown(() => collector.close())
    const at = inSeconds(1.5)
    const post = await approvedPost({
      text: 'Meeting of States Parties opens today in Geneva.',
      channels: [onX.id, onFacebook.id],
      scheduledAt: at,
    })
    t.equal(post.status, 'scheduled')
    t.equal(x.posts.length, 0, 'nothing goes out before its time')

    await waitForDelivery(post.id, onX.id, 'published')
    const done = await waitForDelivery(post.id, onFacebook.id, 'published')
    t.equal(done.status, 'published')
    const xPosts = x.posts.filter((p) => p.text === 'Meeting of States Parties opens today in Geneva.')
    const fbPosts = facebook.posts.filter((p) => p.message === 'Meeting of States Parties opens today in Geneva.')
    t.equal(xPosts.length, 1, 'published once on X')
    t.equal(fbPosts.length, 1, 'published once on Facebook')
    t.ok(xPosts[0]!.at >= Date.parse(at), 'not before its time')
    t.ok(xPosts[0]!.at - Date.parse(at) < 2500, 'and promptly')
    const xDelivery = done.deliveries.find((d: { channelId: string }) => d.channelId === onX.id)
    t.same(xDelivery.remoteIds, [xPosts[0]!.id])
    t.equal(xDelivery.url, `https://x.com/i/web/status/${xPosts[0]!.id}`)
    const fbDelivery = done.deliveries.find((d: { channelId: string }) => d.channelId === onFacebook.id)
    t.same(fbDelivery.remoteIds, [fbPosts[0]!.id])
    t.match(fbPosts[0]!.id, new RegExp(`^${PAGE_ID}_`))
    t.equal(xDelivery.attempts, 1)

    const [published] = await collector.waitFor((e) => e.type === 'social.post.published' && e.subject === post.id)
    t.match(published!.data, {
      id: post.id,
      status: 'published',
      deliveries: [{ status: 'published' }, { status: 'published' }],
    })
  })
})

t.test('platform failures', async (t) => {
  const { app, x, facebook, channel, approvedPost, getPost, waitForDelivery, admin } = await build(t)
  const onX = await channel('x')

  t.test('a 429 waits until the x-rate-limit-reset time, then goes out once', async (t) => {
    x.answerNext({ kind: 'rateLimited', resetInSeconds: 2 })
    const before = Date.now()
    const post = await approvedPost({
      text: 'Rate limited, then published.',
      channels: [onX.id],
      scheduledAt: inSeconds(0.2),
    })
    const waiting = await waitFor429(post.id)
    const delivery = waiting.deliveries[0]
    t.equal(delivery.status, 'scheduled', 'back in the queue, not failed')
    t.match(delivery.error, /429/)
    const resetAt = Date.parse(delivery.dueAt)
    t.ok(
      resetAt >= Math.floor(before / 1000) * 1000 + 2000,
      'due again at the reset time (whole seconds, at least 2 s on), not at once',
    )
    await waitForDelivery(post.id, onX.id, 'published')
    const sent = x.posts.filter((p) => p.text === 'Rate limited, then published.')
    t.equal(sent.length, 1)
    t.ok(sent[0]!.at >= resetAt, 'not before the reset')
    t.equal((await getPost(post.id)).deliveries[0].attempts, 2)

    async function waitFor429(id: string) {
      return waitFor('the 429 to be recorded', async () => {
        const p = await getPost(id)
        return p.deliveries[0]?.error ? p : null
      })
    }
  })

  t.test('an X duplicate fails for good and is not retried', async (t) => {
    x.answerNext({ kind: 'duplicate' })
    const before = x.posts.length
    const post = await approvedPost({ text: 'Said already.', channels: [onX.id], scheduledAt: inSeconds(0.2) })
    const failed = await waitForDelivery(post.id, onX.id, 'failed')
    t.equal(failed.status, 'failed')
    t.match(failed.deliveries[0].error, /duplicate/)
    await new Promise((r) => setTimeout(r, 1500)) // two sweeps: nothing picks it up again
    const after = await getPost(post.id)
    t.equal(after.deliveries[0].attempts, 1, 'one attempt only')
    t.equal(x.posts.length, before)
  })

  t.test('a monthly usage cap fails the delivery with the reason instead of retrying', async (t) => {
    x.answerNext({ kind: 'usageCapped' })
    const post = await approvedPost({ text: 'Over the monthly cap.', channels: [onX.id], scheduledAt: inSeconds(0.2) })
    const failed = await waitForDelivery(post.id, onX.id, 'failed')
    t.match(failed.deliveries[0].error, /usage cap/)
    t.equal(failed.deliveries[0].attempts, 1)
  })

  t.test('a timeout leaves the delivery unconfirmed; it is never re-sent until a person resolves it', async (t) => {
    x.answerNext({ kind: 'hold', ms: 5000, created: true })
    const post = await approvedPost({ text: 'Did this go out?', channels: [onX.id], scheduledAt: inSeconds(0.2) })
    const unconfirmed = await waitForDelivery(post.id, onX.id, 'unconfirmed')
    t.equal(unconfirmed.status, 'unconfirmed')
    t.match(unconfirmed.deliveries[0].error, /may or may not exist/)
    await new Promise((r) => setTimeout(r, 1500))
    t.equal(x.posts.filter((p) => p.text === 'Did this go out?').length, 1, 'the one the fake made, and no other')
    t.equal((await getPost(post.id)).deliveries[0].attempts, 1)

    const found = x.posts.find((p) => p.text === 'Did this go out?')!
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>']) {
      const refused = await app.inject({
        method: 'POST',
        url: `/v1/posts/${post.id}/deliveries/${onX.id}/resolve`,
        headers: admin,
        payload: { outcome: 'published', url },
      })
      t.match(refused.json(), { status: 400, invalidParams: [{ name: 'body.url' }] }, `${url} is refused`)
    }
    const resolved = await app.inject({
      method: 'POST',
      url: `/v1/posts/${post.id}/deliveries/${onX.id}/resolve`,
      headers: admin,
      payload: { outcome: 'published', url: `https://x.com/isu/status/${found.id}`, remoteId: found.id },
    })
    t.equal(resolved.statusCode, 200, resolved.body)
    t.match(resolved.json(), { status: 'published', deliveries: [{ status: 'published', remoteIds: [found.id] }] })
    const again = await app.inject({
      method: 'POST',
      url: `/v1/posts/${post.id}/deliveries/${onX.id}/resolve`,
      headers: admin,
      payload: { outcome: 'retry' },
    })
    t.equal(again.statusCode, 409, 'a published delivery cannot be resolved again')
  })

  t.test('an unconfirmed delivery resolved as retry goes out again', async (t) => {
    x.answerNext({ kind: 'serverError', status: 503, created: false })
    const post = await approvedPost({
      text: 'A 503, then sent again on request.',
      channels: [onX.id],
      scheduledAt: inSeconds(0.2),
    })
    await waitForDelivery(post.id, onX.id, 'unconfirmed')
    t.equal(x.posts.filter((p) => p.text === 'A 503, then sent again on request.').length, 0)
    const res = await app.inject({
      method: 'POST',
      url: `/v1/posts/${post.id}/deliveries/${onX.id}/resolve`,
      headers: admin,
      payload: { outcome: 'retry' },
    })
    t.equal(res.statusCode, 200, res.body)
    await waitForDelivery(post.id, onX.id, 'published')
    t.equal(x.posts.filter((p) => p.text === 'A 503, then sent again on request.').length, 1)
  })

  t.test('a thread failing on its second post resumes without reposting the first', async (t) => {
    const texts = [
      'Thread 1/3: the Meeting of States Parties opens.',
      'Thread 2/3: 113 States Parties.',
      'Thread 3/3: follow along.',
    ]
    // The first post succeeds; the second meets a 429.
    x.answerNext({ kind: 'ok' }, { kind: 'rateLimited', resetInSeconds: 1 })
    const post = await approvedPost({
      text: texts[0],
      thread: texts.slice(1),
      channels: [onX.id],
      scheduledAt: inSeconds(0.3),
    })
    const done = await waitForDelivery(post.id, onX.id, 'published')
    const sent = x.posts.filter((p) => texts.includes(p.text))
    t.same(
      sent.map((p) => p.text),
      texts,
      'each post of the thread once, in order',
    )
    t.equal(sent[1]!.inReplyTo, sent[0]!.id, 'the second replies to the first')
    t.equal(sent[2]!.inReplyTo, sent[1]!.id)
    t.same(
      done.deliveries[0].remoteIds,
      sent.map((p) => p.id),
    )
    t.equal(done.deliveries[0].attempts, 2, 'it took a second attempt, which began at post 2')
  })

  t.test(
    'rejected credentials mark the channel needs_reauth; its posts wait and go out once it is re-authorised',
    async (t) => {
      const fresh = await channel('x')
      x.revoke(fresh.credentials.accessToken!)
      const post = await approvedPost({
        text: 'Waiting for new keys.',
        channels: [fresh.id],
        scheduledAt: inSeconds(0.2),
      })
      await waitFor('the channel to need re-authorisation', async () => {
        const c = (await app.inject({ method: 'GET', url: `/v1/channels/${fresh.id}`, headers: admin })).json()
        return c.status === 'needs_reauth' ? c : null
      })
      await new Promise((r) => setTimeout(r, 1200))
      const waiting = await getPost(post.id)
      t.equal(waiting.deliveries[0].status, 'scheduled', 'the delivery waits')
      t.equal(waiting.deliveries[0].attempts, 1, 'and is not hammered against the platform')

      const res = await app.inject({
        method: 'PATCH',
        url: `/v1/channels/${fresh.id}`,
        headers: admin,
        payload: { credentials: { ...fresh.credentials, accessToken: 'user-renewed' } },
      })
      t.equal(res.statusCode, 200, res.body)
      t.equal(res.json().status, 'active')
      await waitForDelivery(post.id, fresh.id, 'published')
      t.equal(x.posts.filter((p) => p.text === 'Waiting for new keys.' && p.user === 'user-renewed').length, 1)
    },
  )

  t.test(
    'Facebook throttling waits for the usage header’s time; a 190 marks the Page needs_reauth; 506 is final',
    async (t) => {
      const page = await channel('facebook')
      facebook.answerNext({ kind: 'throttled', code: 32, minutes: 3 })
      const throttled = await approvedPost({
        text: 'Throttled on Facebook.',
        channels: [page.id],
        scheduledAt: inSeconds(0.2),
      })
      const waiting = await waitFor('throttling recorded', async () => {
        const p = await getPost(throttled.id)
        return p.deliveries[0]?.error ? p : null
      })
      t.equal(waiting.deliveries[0].status, 'scheduled')
      const wait = Date.parse(waiting.deliveries[0].dueAt) - Date.now()
      t.ok(wait > 150_000 && wait <= 180_000, `due again in about 3 minutes (${wait} ms)`)

      facebook.answerNext({ kind: 'duplicate' })
      const duplicate = await approvedPost({
        text: 'Duplicate on Facebook.',
        channels: [page.id],
        scheduledAt: inSeconds(0.2),
      })
      const failed = await waitForDelivery(duplicate.id, page.id, 'failed')
      t.match(failed.deliveries[0].error, /506/)

      facebook.answerNext({ kind: 'tokenInvalid' })
      await approvedPost({ text: 'Token revoked on Facebook.', channels: [page.id], scheduledAt: inSeconds(0.2) })
      await waitFor('the Page to need re-authorisation', async () => {
        const c = (await app.inject({ method: 'GET', url: `/v1/channels/${page.id}`, headers: admin })).json()
        return c.status === 'needs_reauth' ? c : null
      })
      t.pass('needs_reauth')
    },
  )
})
