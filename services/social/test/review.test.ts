import { randomUUID } from 'node:crypto'
import t from 'tap'
import { waitFor } from '@ccm/testing'
import { ANNOUNCER } from '../src/services/announcements.ts'
import { DEFAULT_TIME_ZONE } from '../src/services/posts.ts'
import { build, inSeconds } from './helper.ts'

t.test('review: four eyes an edit cannot get round, versions, and workflow bodies', async (t) => {
  const { app, as, channel, approvedPost, getPost, x } = await build(t)
  const author = await as('editor', 'author.one')
  const editorB = await as('editor', 'editor.b')
  const editorC = await as('editor', 'editor.c')
  const onX = await channel('x')

  const act = (id: string, action: string, headers: Record<string, string>, payload?: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/v1/posts/${id}/${action}`, headers, ...(payload ? { payload } : {}) })
  const patch = (id: string, headers: Record<string, string>, payload: Record<string, unknown>) =>
    app.inject({ method: 'PATCH', url: `/v1/posts/${id}`, headers, payload })
  async function submitted(text: string) {
    const id = (
      await app.inject({ method: 'POST', url: '/v1/posts', headers: author, payload: { text, channels: [onX.id] } })
    ).json().id as string
    return (await act(id, 'submit', author, {})).json() as { id: string; version: number }
  }

  t.test('an editor who changed a submitted post cannot approve it; another editor can', async (t) => {
    const post = await submitted('Written by one.')
    const edited = await patch(post.id, editorB, { text: 'Rewritten by B.', version: post.version })
    t.equal(edited.statusCode, 200, edited.body)
    t.same(edited.json().editedBy, ['editor.b'])
    t.match(
      edited.json().submitted,
      {
        text: 'Written by one.',
        channels: [onX.id],
        thread: [],
        submittedBy: 'author.one',
        submittedAt: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
      },
      'the words as submitted stay beside the edited ones, for the approver to compare',
    )
    const self = await act(post.id, 'approve', editorB, { version: edited.json().version })
    t.equal(self.statusCode, 403)
    t.match(self.json(), { code: 'SOCIAL_SELF_APPROVAL', detail: /editor\.b changed/ })
    const approved = await act(post.id, 'approve', editorC, { version: edited.json().version })
    t.equal(approved.statusCode, 200, approved.body)
    t.match(approved.json(), { approvedBy: 'editor.c', editedBy: [] })
  })

  t.test('changing variants, thread, media or channels counts as much as the text', async (t) => {
    const post = await submitted('Channels changed.')
    const onFacebook = await channel('facebook')
    const edited = await patch(post.id, editorB, { channels: [onX.id, onFacebook.id], version: post.version })
    t.equal(edited.statusCode, 200, edited.body)
    const self = await act(post.id, 'approve', editorB, { version: edited.json().version })
    t.equal(self.statusCode, 403, self.body)
  })

  t.test('a milestone draft rewritten by an editor cannot be approved by that editor', async (t) => {
    const draft = await app.events.withWrites((tx) =>
      app.social.postsService.createSubmitted(
        {
          text: 'An announcement nobody wrote by hand.',
          variants: {},
          translations: {},
          thread: [],
          language: 'en',
          media: [],
          channels: [onX.id],
          scheduledAt: null,
          timeZone: DEFAULT_TIME_ZONE,
        },
        randomUUID(),
        { actor: ANNOUNCER, correlationId: 'test' },
        tx,
      ),
    )
    const edited = await patch(draft!.id, editorB, { text: 'Words of B.', version: draft!.version })
    t.equal(edited.statusCode, 200, edited.body)
    t.match(edited.json().submitted, { text: 'An announcement nobody wrote by hand.', submittedBy: ANNOUNCER })
    const self = await act(draft!.id, 'approve', editorB, { version: edited.json().version })
    t.equal(self.statusCode, 403, self.body)
    t.equal((await getPost(draft!.id)).status, 'submitted', 'still waiting for a second person')
    t.equal((await act(draft!.id, 'approve', editorC, { version: edited.json().version })).statusCode, 200)
  })

  t.test('approve needs the version the approver read: missing 400, stale 409, If-Match accepted', async (t) => {
    const post = await submitted('Versioned approval.')
    const missing = await act(post.id, 'approve', editorC, {})
    t.equal(missing.statusCode, 400)
    t.match(missing.headers['content-type'], /application\/problem\+json/)
    t.match(missing.json(), { invalidParams: [{ name: 'body.version' }] })
    t.equal((await act(post.id, 'approve', editorC)).statusCode, 400, 'no body at all')
    const stale = await act(post.id, 'approve', editorC, { version: post.version - 1 })
    t.equal(stale.statusCode, 409)
    t.match(stale.json(), { code: 'SOCIAL_STALE_VERSION' })
    const viaHeader = await app.inject({
      method: 'POST',
      url: `/v1/posts/${post.id}/approve`,
      headers: { ...editorC, 'if-match': `"${post.version}"` },
    })
    t.equal(viaHeader.statusCode, 200, viaHeader.body)
  })

  t.test('a post sent back and submitted again is compared with its latest submission', async (t) => {
    const post = await submitted('First words.')
    const sentBack = await act(post.id, 'reject', editorC, { note: 'Say when.', version: post.version })
    t.equal(sentBack.statusCode, 200, sentBack.body)
    const rewritten = await patch(post.id, author, {
      text: 'Second words, with a date.',
      version: sentBack.json().version,
    })
    t.equal(rewritten.statusCode, 200, rewritten.body)
    t.equal(rewritten.json().submitted.text, 'First words.', 'a draft keeps the words it was last submitted with')
    const again = await act(post.id, 'submit', author, { version: rewritten.json().version })
    t.equal(again.statusCode, 200, again.body)
    t.match(again.json().submitted, { text: 'Second words, with a date.', submittedBy: 'author.one' })
  })

  t.test('reject and reschedule without a body answer 400 naming the field', async (t) => {
    const post = await submitted('Rejected without a note?')
    const reject = await act(post.id, 'reject', editorC)
    t.equal(reject.statusCode, 400, reject.body)
    t.match(reject.headers['content-type'], /application\/problem\+json/)
    t.match(reject.json(), { invalidParams: [{ name: 'body.note' }] })
    const later = await approvedPost({
      text: 'Rescheduled without a time?',
      channels: [onX.id],
      scheduledAt: inSeconds(3600),
    })
    const before = await getPost(later.id)
    const reschedule = await act(later.id, 'reschedule', editorC)
    t.equal(reschedule.statusCode, 400, reschedule.body)
    t.match(reschedule.json(), { invalidParams: [{ name: 'body.scheduledAt' }] })
    t.match(
      await getPost(later.id),
      { status: 'scheduled', scheduledAt: before.scheduledAt, version: before.version },
      'nothing changed',
    )
  })

  t.test(
    'a reschedule moves the deliveries and their timers: the post goes out at the new time, not the old',
    async (t) => {
      const post = await approvedPost({ text: 'Moved later.', channels: [onX.id], scheduledAt: inSeconds(1) })
      const newTime = inSeconds(4)
      const moved = await act(post.id, 'reschedule', editorC, {
        scheduledAt: newTime,
        version: (await getPost(post.id)).version,
      })
      t.equal(moved.statusCode, 200, moved.body)
      t.same(
        moved.json().deliveries.map((d: { dueAt: string }) => d.dueAt),
        [new Date(newTime).toISOString()],
      )
      await new Promise((resolve) => setTimeout(resolve, 2500))
      t.equal(x.posts.filter((p) => p.text === 'Moved later.').length, 0, 'not at the old time')
      await waitFor('published at the new time', async () => x.posts.find((p) => p.text === 'Moved later.'), 10_000)
      t.ok(x.posts.find((p) => p.text === 'Moved later.')!.at >= Date.parse(newTime), 'not before the new time')
    },
  )
})
