import t from 'tap'
import { waitFor } from '@ccm/testing'
import { buildApp } from '../src/app.ts'
import { build, inSeconds } from './helper.ts'

t.test('scheduler', async (t) => {
  const { app, config, x, channel, approvedPost, getPost } = await build(t)
  const onX = await channel('x')

  t.test(
    'Redis flushed while posts are scheduled: the index is rebuilt from Postgres and they still go out on time',
    async (t) => {
      const texts = ['Flushed 1.', 'Flushed 2.', 'Flushed 3.']
      const at = inSeconds(2)
      const posts = []
      for (const text of texts) posts.push(await approvedPost({ text, channels: [onX.id], scheduledAt: at }))
      t.ok(
        (await app.redis.zcard(`social:timers:${new URL(config.SOCIAL_DATABASE_URL).pathname.slice(1)}`)) >= 3,
        'indexed in Redis',
      )
      await app.redis.flushall()
      await waitFor(
        'all three published',
        async () => texts.every((text) => x.posts.some((p) => p.text === text)),
        10_000,
      )
      for (const text of texts) {
        const sent = x.posts.filter((p) => p.text === text)
        t.equal(sent.length, 1, `${text} once`)
        t.ok(sent[0]!.at - Date.parse(at) < 2500, `${text} on time (${sent[0]!.at - Date.parse(at)} ms late)`)
      }
      for (const post of posts)
        await waitFor(`${post.id} settled as published`, async () => (await getPost(post.id)).status === 'published')
      t.pass('each settled as published')
    },
  )

  t.test('two instances side by side publish each delivery exactly once', async (t) => {
    const second = await buildApp(config)
    await second.ready()
    t.teardown(() => second.close())
    const at = inSeconds(1.5)
    const texts = Array.from({ length: 40 }, (_, i) => `Side by side ${i}.`)
    for (const text of texts) await approvedPost({ text, channels: [onX.id], scheduledAt: at })
    await waitFor(
      'all forty published',
      async () => texts.every((text) => x.posts.some((p) => p.text === text)),
      15_000,
    )
    await new Promise((r) => setTimeout(r, 1000)) // a sweep of each instance: nothing more goes out
    for (const text of texts) t.equal(x.posts.filter((p) => p.text === text).length, 1, `${text} once`)
    const { rows } = await app.db.query(
      `SELECT count(DISTINCT claimed_by)::int AS n, sum(attempts)::int AS attempts
         FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE p.text LIKE 'Side by side%'`,
    )
    t.equal(rows[0].attempts, 40, 'one attempt each')
    t.comment(`claimed by ${rows[0].n} instance(s)`)
  })

  t.test('a delivery overdue beyond the window at start-up becomes missed; one within it goes out', async (t) => {
    const late = await approvedPost({ text: 'Far too late.', channels: [onX.id], scheduledAt: inSeconds(3600) })
    const recent = await approvedPost({ text: 'A little late.', channels: [onX.id], scheduledAt: inSeconds(3600) })
    // As if the service had been down: move the due times into the past, behind the scheduler's back.
    await app.db.query(`UPDATE deliveries SET due_at = now() - interval '7 hours' WHERE post_id = $1`, [late.id])
    await app.db.query(`UPDATE deliveries SET due_at = now() - interval '30 minutes' WHERE post_id = $1`, [recent.id])
    const restarted = await buildApp(config)
    await restarted.ready()
    t.teardown(() => restarted.close())
    await waitFor('the late one missed', async () => (await getPost(late.id)).status === 'missed', 10_000)
    await waitFor('the recent one published', async () => (await getPost(recent.id)).status === 'published', 10_000)
    t.equal(x.posts.filter((p) => p.text === 'Far too late.').length, 0)
    t.match((await getPost(late.id)).deliveries[0].error, /not published within 360 minutes/)
  })
})
