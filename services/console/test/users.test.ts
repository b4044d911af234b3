import t from 'tap'
import { build, type Browser } from './helper.ts'

t.test('the users API', async (t) => {
  const { app, signedIn, signIn, createUser } = await build(t)
  const { user: admin, browser } = await signedIn('admin')
  const get = (url: string, as: Browser = browser) => app.inject({ url, headers: as.reads })
  const send = (method: 'POST' | 'PATCH', url: string, payload?: object, as: Browser = browser) =>
    app.inject({ method, url, headers: as.writes, ...(payload ? { payload } : {}) })

  t.test('is for admins only', async (t) => {
    for (const role of ['editor', 'viewer'] as const) {
      const other = await signedIn(role)
      const list = await get('/api/users', other.browser)
      t.equal(list.statusCode, 403, `${role} may not list`)
      const add = await send('POST', '/api/users', { username: 'z', displayName: 'Z', role: 'viewer' }, other.browser)
      t.equal(add.statusCode, 403, `${role} may not add`)
      const change = await send('PATCH', `/api/users/${admin.id}`, { disabled: true, version: 1 }, other.browser)
      t.equal(change.statusCode, 403, `${role} may not change`)
      const reset = await send('POST', `/api/users/${admin.id}/password-reset`, undefined, other.browser)
      t.equal(reset.statusCode, 403, `${role} may not reset`)
    }
    t.equal((await app.inject({ url: '/api/users' })).statusCode, 401, 'nor anyone signed out')
  })

  t.test('adds a user, who signs in with the one-time password and must change it', async (t) => {
    const created = await send('POST', '/api/users', {
      username: 'Ana.Silva',
      displayName: 'Ana Silva',
      role: 'editor',
    })
    t.equal(created.statusCode, 201)
    const { user, oneTimePassword } = created.json()
    t.match(user, {
      username: 'ana.silva',
      displayName: 'Ana Silva',
      role: 'editor',
      disabled: false,
      mustChangePassword: true,
      version: 1,
    })
    t.ok(oneTimePassword.length >= 16)
    const session = await signIn('ANA.SILVA', oneTimePassword)
    const me = await get('/api/session', session)
    t.equal(me.json().user.mustChangePassword, true)
    const taken = await send('POST', '/api/users', { username: 'ana.SILVA', displayName: 'Other', role: 'viewer' })
    t.equal(taken.statusCode, 409, 'usernames compare without regard to case')
    const bad = await send('POST', '/api/users', { username: 'a b', displayName: 'X', role: 'boss' })
    t.equal(bad.statusCode, 400)
    t.same(
      bad
        .json()
        .invalidParams.map((p: { name: string }) => p.name)
        .sort(),
      ['body.role', 'body.username'],
    )
    const list = await get('/api/users')
    t.ok(list.json().items.some((u: { username: string }) => u.username === 'ana.silva'))
  })

  t.test('a change with a stale version is 409 and changes nothing', async (t) => {
    const user = await createUser('viewer')
    const renamed = await send('PATCH', `/api/users/${user.id}`, { displayName: 'Renamed', version: user.version })
    t.equal(renamed.statusCode, 200)
    t.equal(renamed.json().version, user.version + 1)
    const stale = await send('PATCH', `/api/users/${user.id}`, { displayName: 'Again', version: user.version })
    t.equal(stale.statusCode, 409)
    t.equal((await app.console.users.get(user.id))!.displayName, 'Renamed')
    const missing = await send('PATCH', `/api/users/${user.id}`, { displayName: 'No version' })
    t.equal(missing.statusCode, 400)
    t.match(missing.json().invalidParams, [{ name: 'body.version' }])
    const unknown = await send('PATCH', '/api/users/00000000-0000-4000-8000-000000000000', { version: 1 })
    t.equal(unknown.statusCode, 404)
  })

  t.test('disabling a user or changing their role ends their sessions', async (t) => {
    for (const change of [{ disabled: true }, { role: 'viewer' }]) {
      const { user, browser: theirs } = await signedIn('editor')
      t.equal((await get('/api/session', theirs)).statusCode, 200)
      const changed = await send('PATCH', `/api/users/${user.id}`, { ...change, version: user.version })
      t.equal(changed.statusCode, 200)
      t.equal((await get('/api/session', theirs)).statusCode, 401, `signed out after ${JSON.stringify(change)}`)
    }
  })

  t.test('a password reset gives a one-time password and ends their sessions', async (t) => {
    const { user, browser: theirs } = await signedIn('viewer')
    const reset = await send('POST', `/api/users/${user.id}/password-reset`)
    t.equal(reset.statusCode, 200)
    t.equal((await get('/api/session', theirs)).statusCode, 401)
    const again = await signIn(user.username, reset.json().oneTimePassword)
    t.equal((await get('/api/session', again)).json().user.mustChangePassword, true)
  })

  t.test('the last active admin cannot be disabled or demoted', async (t) => {
    const { app, signedIn } = await build(t)
    const { user: only, browser: hers } = await signedIn('admin')
    const demote = await app.inject({
      method: 'PATCH',
      url: `/api/users/${only.id}`,
      headers: hers.writes,
      payload: { role: 'editor', version: only.version },
    })
    t.equal(demote.statusCode, 409)
    t.equal(demote.json().code, 'CONSOLE_LAST_ADMIN')
    const disable = await app.inject({
      method: 'PATCH',
      url: `/api/users/${only.id}`,
      headers: hers.writes,
      payload: { disabled: true, version: only.version },
    })
    t.equal(disable.statusCode, 409)
    const { user: second } = await signedIn('admin')
    const now = await app.inject({
      method: 'PATCH',
      url: `/api/users/${second.id}`,
      headers: hers.writes,
      payload: { role: 'editor', version: second.version },
    })
    t.equal(now.statusCode, 200, 'with another admin, one may be demoted')
  })

  t.test('every write is audited with who made it, never the password hash', async (t) => {
    const { rows } = await app.db.query(
      `SELECT actor, action, before, after FROM audit_log WHERE entity_type = 'user' AND actor = $1`,
      [admin.username],
    )
    const actions = new Set(rows.map((r) => r.action))
    t.ok(actions.has('user.created') && actions.has('user.updated') && actions.has('user.password_reset'))
    t.notMatch(JSON.stringify(rows), /argon2|password_hash|passwordHash/)
  })
})
