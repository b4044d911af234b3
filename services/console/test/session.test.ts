import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { build, TEST_PASSWORD } from './helper.ts'

t.test('sign-in', async (t) => {
  const { app, createUser } = await build(t)
  const user = await createUser('editor')

  t.test('with the right password answers the session and sets a strict, httpOnly cookie', async (t) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: user.username.toUpperCase(), password: TEST_PASSWORD },
    })
    t.equal(response.statusCode, 200)
    const body = response.json()
    t.match(body.user, { id: user.id, username: user.username, role: 'editor', mustChangePassword: false })
    t.type(body.csrfToken, 'string')
    const cookie = response.cookies.find((c) => c.name === 'ccm_session')!
    t.ok(cookie.value.length >= 40, 'a long random value')
    t.equal(cookie.httpOnly, true)
    t.equal(cookie.sameSite, 'Strict')
    t.equal(cookie.path, '/')
    t.notOk(cookie.secure, 'not Secure in test, where the console runs over plain http')
    const session = await app.inject({ url: '/api/session', cookies: { ccm_session: cookie.value } })
    t.equal(session.statusCode, 200)
    t.same(session.json(), body)
  })

  t.test('a wrong password and an unknown user get the same 401', async (t) => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: user.username, password: 'not the password' },
    })
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'nobody-at-all', password: 'not the password' },
    })
    t.equal(wrong.statusCode, 401)
    t.equal(unknown.statusCode, 401)
    t.equal(wrong.headers['content-type'], 'application/problem+json; charset=utf-8')
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined })
    t.same(strip(wrong.json()), strip(unknown.json()))
    t.notOk(wrong.headers['set-cookie'], 'no cookie')
  })

  t.test('a disabled user cannot sign in', async (t) => {
    const disabled = await createUser('viewer')
    await app.console.usersService.update(
      disabled.id,
      disabled.version,
      { disabled: true },
      {
        actor: 'test',
        correlationId: 'test',
      },
    )
    const response = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: disabled.username, password: TEST_PASSWORD },
    })
    t.equal(response.statusCode, 401)
    t.equal(response.json().code, 'CONSOLE_SIGN_IN_REFUSED')
  })

  t.test('a missing field is a 400 naming it', async (t) => {
    const response = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'x' } })
    t.equal(response.statusCode, 400)
    t.match(response.json().invalidParams, [{ name: 'body.password' }])
  })

  t.test('GET /api/session without a cookie is 401 problem+json', async (t) => {
    const response = await app.inject({ url: '/api/session' })
    t.equal(response.statusCode, 401)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
  })
})

t.test('sign-in is rate-limited', async (t) => {
  t.test('per account, whatever the address, with Retry-After', async (t) => {
    const { app, createUser } = await build(t, { CONSOLE_SIGNIN_MAX_PER_ACCOUNT: '3' })
    const user = await createUser('editor')
    for (let i = 0; i < 3; i++) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: user.username, password: 'wrong' },
        remoteAddress: `10.0.0.${i + 1}`,
      })
      t.equal(response.statusCode, 401)
    }
    const throttled = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: user.username, password: TEST_PASSWORD },
      remoteAddress: '10.0.0.9',
    })
    t.equal(throttled.statusCode, 429, 'even the right password waits')
    t.ok(Number(throttled.headers['retry-after']) > 0, `Retry-After: ${throttled.headers['retry-after']}`)
    t.equal(throttled.headers['content-type'], 'application/problem+json; charset=utf-8')
  })

  t.test('per address, whatever the account', async (t) => {
    const { app, createUser } = await build(t, { CONSOLE_SIGNIN_MAX_PER_ADDRESS: '3' })
    const user = await createUser('editor')
    for (let i = 0; i < 3; i++) {
      await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: `guess-${i}`, password: 'wrong' },
        remoteAddress: '10.1.1.1',
      })
    }
    const fromThere = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: user.username, password: TEST_PASSWORD },
      remoteAddress: '10.1.1.1',
    })
    t.equal(fromThere.statusCode, 429)
    t.ok(Number(fromThere.headers['retry-after']) > 0)
    const fromElsewhere = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: user.username, password: TEST_PASSWORD },
      remoteAddress: '10.1.1.2',
    })
    t.equal(fromElsewhere.statusCode, 200, 'another address is not held back')
  })
})

t.test('sign-out ends the session on the server: the old cookie is refused after', async (t) => {
  const { app, signedIn } = await build(t)
  const { browser } = await signedIn('viewer')
  const out = await app.inject({ method: 'DELETE', url: '/api/session', headers: browser.writes })
  t.equal(out.statusCode, 204)
  const cleared = out.cookies.find((c) => c.name === 'ccm_session')!
  t.equal(cleared.value, '', 'the cookie is cleared')
  const after = await app.inject({ url: '/api/session', headers: browser.reads })
  t.equal(after.statusCode, 401)
})

t.test('an idle session expires', async (t) => {
  // 0.02 minutes: 1.2 s idle.
  const { app, signedIn } = await build(t, { CONSOLE_SESSION_IDLE_MINUTES: '0.02' })
  const { browser } = await signedIn('viewer')
  await sleep(700)
  t.equal((await app.inject({ url: '/api/session', headers: browser.reads })).statusCode, 200, 'used in time')
  await sleep(700)
  t.equal((await app.inject({ url: '/api/session', headers: browser.reads })).statusCode, 200, 'each use restarts it')
  await sleep(1500)
  t.equal((await app.inject({ url: '/api/session', headers: browser.reads })).statusCode, 401, 'idle too long')
})

t.test('a session ends at its absolute limit however busy', async (t) => {
  // 0.0005 hours: 1.8 s.
  const { app, signedIn } = await build(t, { CONSOLE_SESSION_MAX_HOURS: '0.0005' })
  const { browser } = await signedIn('viewer')
  for (let i = 0; i < 4; i++) {
    await sleep(300)
    t.equal((await app.inject({ url: '/api/session', headers: browser.reads })).statusCode, 200)
  }
  await sleep(1000)
  t.equal((await app.inject({ url: '/api/session', headers: browser.reads })).statusCode, 401)
})

t.test('CSRF', async (t) => {
  const { app, signedIn } = await build(t)
  const { browser } = await signedIn('admin')
  const write = (headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/api/users',
      headers,
      payload: { username: 'x1', displayName: 'X', role: 'viewer' },
    })

  const missing = await write({ cookie: browser.cookie })
  t.equal(missing.statusCode, 403)
  t.match(missing.json().type, /csrf$/)
  const wrong = await write({ cookie: browser.cookie, 'x-csrf-token': 'a'.repeat(43) })
  t.equal(wrong.statusCode, 403)
  t.match(wrong.json().type, /csrf$/)
  const crossSite = await write({ ...browser.writes, origin: 'https://evil.example' })
  t.equal(crossSite.statusCode, 403, 'a cross-site Origin is refused even with the token')
  t.match(crossSite.json().type, /csrf$/)
  const fetchMetadata = await write({ ...browser.writes, 'sec-fetch-site': 'cross-site' })
  t.equal(fetchMetadata.statusCode, 403)
  const crossSiteSignIn = await app.inject({
    method: 'POST',
    url: '/api/session',
    headers: { origin: 'https://evil.example' },
    payload: { username: 'admin', password: 'whatever-it-is' },
  })
  t.equal(crossSiteSignIn.statusCode, 403, 'sign-in from another site too')
  const signOutWithout = await app.inject({ method: 'DELETE', url: '/api/session', headers: browser.reads })
  t.equal(signOutWithout.statusCode, 403, 'sign-out needs the token too')
  const right = await write(browser.writes)
  t.equal(right.statusCode, 201, 'with the token and a same-site Origin')
  t.equal(
    (await write({ cookie: browser.cookie, 'x-csrf-token': browser.csrfToken })).statusCode,
    409,
    'no Origin at all (a same-site client that sends none) passes on the token',
  )
})

t.test('a forced password change', async (t) => {
  const { app, createUser, signIn } = await build(t)
  const user = await createUser('admin', { mustChangePassword: true })
  const browser = await signIn(user.username)
  const session = await app.inject({ url: '/api/session', headers: browser.reads })
  t.equal(session.json().user.mustChangePassword, true)

  for (const [method, url] of [
    ['GET', '/api/users'],
    ['GET', '/api/contacts/v1/states'],
    ['GET', '/api/live'],
  ] as const) {
    const refused = await app.inject({ method, url, headers: browser.writes })
    t.equal(refused.statusCode, 403, `${method} ${url}`)
    t.match(refused.json().type, /password-change-required$/)
  }

  const change = (body: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/session/password', headers: browser.writes, payload: body })
  const short = await change({ currentPassword: TEST_PASSWORD, newPassword: 'short' })
  t.equal(short.statusCode, 400)
  t.match(short.json().invalidParams, [{ name: 'body.newPassword' }])
  const same = await change({ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD })
  t.equal(same.statusCode, 400)
  t.match(same.json().invalidParams, [{ name: 'body.newPassword' }])
  const wrongCurrent = await change({ currentPassword: 'not it at all', newPassword: 'a brand new password' })
  t.equal(wrongCurrent.statusCode, 400)
  t.match(wrongCurrent.json().invalidParams, [{ name: 'body.currentPassword' }])

  const changed = await change({ currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' })
  t.equal(changed.statusCode, 204)
  t.equal((await app.inject({ url: '/api/session', headers: browser.reads })).json().user.mustChangePassword, false)
  t.equal((await app.inject({ url: '/api/users', headers: browser.reads })).statusCode, 200, 'open now')
  await app.inject({ method: 'DELETE', url: '/api/session', headers: browser.writes })
  t.ok(await signIn(user.username, 'a brand new password'), 'the new password signs in')
})
