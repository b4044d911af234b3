import t from 'tap'
import { collectEvents } from '@ccm/events'
import { waitFor } from '@ccm/testing'
import { build, inSeconds } from './helper.ts'

// A real 1×1 PNG: file-type reads its chunks, not only the signature.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

t.test('posts workflow', async (t) => {
  const { app, config, as, admin, channel, approvedPost, x } = await build(t)
  const author = await as('editor', 'author.one')
  const other = await as('editor', 'approver.two')
  const viewer = await as('viewer', 'viewer.three')
  const onX = await channel('x', { default: true })
  const onFacebook = await channel('facebook')

  const create = (payload: Record<string, unknown>, headers = author) =>
    app.inject({ method: 'POST', url: '/v1/posts', headers, payload })
  const act = (id: string, action: string, headers: Record<string, string>, payload: Record<string, unknown> = {}) =>
    app.inject({ method: 'POST', url: `/v1/posts/${id}/${action}`, headers, payload })

  t.test(
    'X length is weighted by twitter-text, per post of a thread; the 400 names the channel and how far over',
    async (t) => {
      const ok = await create({ text: 'a'.repeat(280), channels: [onX.id] })
      t.equal(ok.statusCode, 201, '280 Latin characters fit')
      const over = await create({ text: 'a'.repeat(281), channels: [onX.id, onFacebook.id] })
      t.equal(over.statusCode, 400)
      t.match(over.json(), {
        status: 400,
        code: 'VALIDATION',
        invalidParams: [{ name: 'body.text', reason: /"ISU x" \(X\).*1 over the limit of 280/ }],
      })
      t.equal(over.json().invalidParams.length, 1, 'Facebook takes it')

      const cjk = await create({ text: '字'.repeat(141), channels: [onX.id] })
      t.match(cjk.json().invalidParams, [{ reason: /2 over the limit of 280 weighted characters \(282\)/ }])
      const urls = await create({ text: `${'a'.repeat(252)} see example.org`, channels: [onX.id] })
      t.equal(urls.statusCode, 201, 'a bare domain counts 23: 252 + 1 + 27 = 280')
      const overByUrl = await create({ text: `${'a'.repeat(253)} see example.org`, channels: [onX.id] })
      t.match(overByUrl.json().invalidParams, [{ reason: /1 over/ }])

      const thread = await create({ text: 'fine', thread: ['fine too', '🙂'.repeat(141)], channels: [onX.id] })
      t.match(thread.json().invalidParams, [{ name: 'body.thread.1', reason: /post 3 of the thread is 2 over/ }])

      const variant = await create({
        text: 'short',
        variants: { [onFacebook.id]: { text: 'x'.repeat(63_207) } },
        channels: [onX.id, onFacebook.id],
      })
      t.match(variant.json().invalidParams, [
        {
          name: `body.variants.${onFacebook.id}.text`,
          reason: /"ISU facebook" \(Facebook\): 1 characters over the limit of 63206/,
        },
      ])

      const badZone = await create({ text: 'hello', channels: [onX.id], timeZone: 'Europe/Geneva' })
      t.match(badZone.json().invalidParams, [{ name: 'body.timeZone' }])
      const badField = await create({ text: '', channels: [onX.id] })
      t.match(badField.json(), { status: 400, invalidParams: [{ name: 'body.text' }] })
    },
  )

  t.test('four eyes: the author cannot approve; another editor can; a viewer cannot', async (t) => {
    const created = await create({ text: 'Four eyes.', channels: [onX.id], scheduledAt: inSeconds(3600) })
    const { id, version } = created.json()
    t.equal(
      (await act(id, 'approve', other, { version })).statusCode,
      409,
      'a draft is not approved before it is submitted',
    )
    const submitted = await act(id, 'submit', author)
    t.equal(submitted.json().status, 'submitted')
    const read = { version: submitted.json().version }
    const self = await act(id, 'approve', author, read)
    t.equal(self.statusCode, 403)
    t.match(self.json(), { code: 'SOCIAL_SELF_APPROVAL', detail: /author\.one wrote this post/ })
    t.equal((await act(id, 'approve', viewer, read)).statusCode, 403)
    const approved = await act(id, 'approve', other, read)
    t.equal(approved.statusCode, 200)
    t.match(approved.json(), {
      status: 'scheduled',
      approvedBy: 'approver.two',
      deliveries: [{ channelId: onX.id, status: 'scheduled' }],
    })
  })

  t.test(
    'editing an approved post sends it back to draft and withdraws its deliveries; a stale version gets 409',
    async (t) => {
      const post = await approvedPost({ text: 'To be edited.', channels: [onX.id], scheduledAt: inSeconds(3600) })
      const current = (await app.inject({ method: 'GET', url: `/v1/posts/${post.id}`, headers: viewer })).json()
      const stale = await app.inject({
        method: 'PATCH',
        url: `/v1/posts/${post.id}`,
        headers: author,
        payload: { text: 'Edited.', version: current.version - 1 },
      })
      t.equal(stale.statusCode, 409)
      t.match(stale.json(), { code: 'SOCIAL_STALE_VERSION' })
      const staleHeader = await app.inject({
        method: 'PATCH',
        url: `/v1/posts/${post.id}`,
        headers: { ...author, 'if-match': `"${current.version - 1}"` },
        payload: { text: 'Edited.' },
      })
      t.equal(staleHeader.statusCode, 409, 'If-Match too')
      const edited = await app.inject({
        method: 'PATCH',
        url: `/v1/posts/${post.id}`,
        headers: author,
        payload: { text: 'Edited.', version: current.version },
      })
      t.equal(edited.statusCode, 200, edited.body)
      t.match(edited.json(), {
        status: 'draft',
        text: 'Edited.',
        approvedBy: null,
        deliveries: [{ status: 'cancelled' }],
      })
      const audit = await app.db.query(`SELECT action, actor FROM audit_log WHERE entity_id = $1 ORDER BY id`, [
        post.id,
      ])
      t.same(
        audit.rows.map((r) => r.action),
        ['post.created', 'post.submitted', 'post.approved', 'post.scheduled', 'post.updated'],
      )
    },
  )

  t.test('reject, cancel, reschedule and publish-now follow the workflow', async (t) => {
    const id = (await create({ text: 'Rejected once.', channels: [onX.id] })).json().id
    await act(id, 'submit', author)
    const rejected = await act(id, 'reject', other, { note: 'Add the date.' })
    t.match(rejected.json(), { status: 'draft', reviewNote: 'Add the date.' })
    t.equal((await act(id, 'cancel', author)).json().status, 'cancelled')
    t.equal((await act(id, 'submit', author)).statusCode, 409, 'a cancelled post stays cancelled')

    const later = await approvedPost({
      text: 'Moved, then sent now.',
      channels: [onX.id],
      scheduledAt: inSeconds(3600),
    })
    const moved = await act(later.id, 'reschedule', other, {
      scheduledAt: '2030-01-15T10:00:00+01:00',
      timeZone: 'Europe/Zurich',
    })
    t.match(moved.json(), {
      status: 'scheduled',
      scheduledAt: '2030-01-15T09:00:00.000Z',
      deliveries: [{ dueAt: '2030-01-15T09:00:00.000Z' }],
    })
    const now = await act(later.id, 'publish-now', other)
    t.equal(now.statusCode, 200)
    await waitFor('published', async () => x.posts.find((p) => p.text === 'Moved, then sent now.'))
    t.pass('published at once')
  })

  t.test('images only, at most 4, type checked against the bytes', async (t) => {
    const upload = (body: Buffer, type: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/media?altText=Delegates',
        headers: { ...author, 'content-type': type },
        payload: body,
      })
    const ok = await upload(PNG, 'image/png')
    t.equal(ok.statusCode, 201, ok.body)
    t.match(ok.json(), { contentType: 'image/png', sizeBytes: PNG.length, altText: 'Delegates' })
    t.equal((await upload(Buffer.from('%PDF-1.7 not an image'), 'application/pdf')).statusCode, 415)
    t.match((await upload(PNG, 'image/jpeg')).json(), {
      status: 415,
      detail: /says image\/jpeg but the bytes are image\/png/,
    })
    t.equal((await upload(Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]), 'image/png')).statusCode, 413)

    const id = ok.json().id
    const five = await create({ text: 'Five images.', channels: [onX.id], media: [id, id, id, id, id] })
    t.match(five.json().invalidParams, [{ name: 'body.media', reason: /at most 4/ }])
    const post = await approvedPost({
      text: 'With a picture.',
      channels: [onX.id, onFacebook.id],
      media: [id],
      scheduledAt: inSeconds(0.2),
    })
    await waitFor('published with media', async () => {
      const current = (await app.inject({ method: 'GET', url: `/v1/posts/${post.id}`, headers: viewer })).json()
      if (current.deliveries.some((d: { error: string | null }) => d.error))
        throw new Error(JSON.stringify(current.deliveries))
      return x.posts.find((p) => p.text === 'With a picture.')
    })
    const sent = x.posts.find((p) => p.text === 'With a picture.')!
    t.equal(sent.mediaIds.length, 1)
    t.match(x.media.get(sent.mediaIds[0]!), { mediaType: 'image/png', altText: 'Delegates', finalized: true })
    void post
  })

  t.test('the calendar lists posts by window, status and channel, and as iCalendar', async (t) => {
    const a = await approvedPost({ text: 'Calendar A.', channels: [onX.id], scheduledAt: '2031-03-01T09:00:00+01:00' })
    await approvedPost({ text: 'Calendar B.', channels: [onFacebook.id], scheduledAt: '2031-03-02T09:00:00+01:00' })
    await create({ text: 'Calendar draft.', channels: [onX.id], scheduledAt: '2031-03-03T09:00:00+01:00' })
    const window = 'from=2031-03-01T00:00:00Z&to=2031-04-01T00:00:00Z'
    const all = await app.inject({ method: 'GET', url: `/v1/posts?${window}`, headers: viewer })
    t.same(
      all.json().items.map((p: { text: string }) => p.text),
      ['Calendar A.', 'Calendar B.', 'Calendar draft.'],
    )
    const onlyX = await app.inject({
      method: 'GET',
      url: `/v1/posts?${window}&channel=${onX.id}&status=scheduled`,
      headers: viewer,
    })
    t.same(
      onlyX.json().items.map((p: { id: string }) => p.id),
      [a.id],
    )

    const ics = await app.inject({ method: 'GET', url: `/v1/calendar.ics?${window}`, headers: viewer })
    t.equal(ics.statusCode, 200)
    t.match(ics.headers['content-type'], /text\/calendar/)
    t.match(ics.body, /^BEGIN:VCALENDAR\r\n/)
    t.match(ics.body, /DTSTART:20310301T080000Z/)
    t.match(ics.body, new RegExp(`UID:${a.id}@social.ccm`))
    t.notMatch(ics.body, /Calendar draft/, 'drafts are not in the feed')
    t.equal(ics.body.match(/BEGIN:VEVENT/g)?.length, 2)
  })

  t.test('channels: admins write, credentials are checked and never returned', async (t) => {
    const asEditor = await app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: author,
      payload: {
        platform: 'x',
        name: 'nope',
        credentials: { appKey: 'a', appSecret: 'b', accessToken: 'c', accessSecret: 'd' },
      },
    })
    t.equal(asEditor.statusCode, 403)
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: admin,
      payload: { platform: 'facebook', name: 'Page', credentials: { pageId: 'abc', pageAccessToken: 't' } },
    })
    t.equal(bad.statusCode, 400)
    t.match(bad.json().invalidParams, [{ name: /body\.credentials\.pageId/ }])
    const list = await app.inject({ method: 'GET', url: '/v1/channels', headers: viewer })
    t.equal(list.json().items.length >= 2, true)
    t.notMatch(list.body, /credentials|page-token|access-secret|app-secret/)
  })

  t.test('every route is described in OpenAPI, with its examples', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' })
    t.equal(res.statusCode, 200)
    const doc = res.json()
    for (const path of [
      '/v1/channels',
      '/v1/channels/{id}',
      '/v1/media',
      '/v1/posts',
      '/v1/posts/{id}',
      '/v1/posts/{id}/approve',
      '/v1/posts/{id}/deliveries/{channelId}/resolve',
      '/v1/calendar.ics',
    ]) {
      t.ok(doc.paths[path], `${path} is documented`)
    }
    t.ok(doc.components.schemas.PostDraftInput.example, 'the post a person writes has an example')
    t.ok(doc.components.schemas.Post.example, 'a post as returned has an example')
    t.ok(doc.components.schemas.NewChannelInput, 'a new channel is described')
  })

  t.test('workflow steps are published as events', async (t) => {
    const collector = await collectEvents(config.KAFKA_BROKERS, [`${config.KAFKA_TOPIC_PREFIX}social.events`])
    t.teardown(() => collector.close())
    const post = await approvedPost({ text: 'Evented.', channels: [onX.id], scheduledAt: inSeconds(3600) })
    const events = await collector.waitFor((e) => e.subject === post.id, 3)
    t.same(
      events.map((e) => e.type),
      ['social.post.submitted', 'social.post.approved', 'social.post.scheduled'],
    )
    t.match(events[1], { actor: 'approver.two', data: { approvedBy: 'approver.two' } })
    t.match(events[2], { data: { timeZone: 'Europe/Zurich' } })
  })
})
