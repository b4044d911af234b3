import t from 'tap'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from './helper.ts'

t.test('the built app', async (t) => {
  const dist = mkdtempSync(join(tmpdir(), 'console-dist-'))
  t.teardown(() => rmSync(dist, { recursive: true, force: true }))
  mkdirSync(join(dist, 'assets'))
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><title>ISU-CCM console</title><script src="/assets/app-1a2b.js">',
  )
  writeFileSync(join(dist, 'assets', 'app-1a2b.js'), 'console.log(1)')
  writeFileSync(join(dist, 'favicon.svg'), '<svg/>')
  const { app } = await build(t, { CONSOLE_WEB_DIST: dist })

  t.test('index.html for any page path, never cached', async (t) => {
    for (const url of ['/', '/states/KEN', '/campaigns/1/board?view=week']) {
      const page = await app.inject({ url })
      t.equal(page.statusCode, 200, url)
      t.match(page.body, /ISU-CCM console/)
      t.match(page.headers['content-type'], /^text\/html/)
      t.equal(page.headers['cache-control'], 'no-cache')
    }
  })

  t.test('hashed assets cached for a year, immutable; a missing one is 404, not the page', async (t) => {
    const asset = await app.inject({ url: '/assets/app-1a2b.js' })
    t.equal(asset.statusCode, 200)
    t.match(asset.headers['cache-control'], /max-age=31536000.*immutable/)
    t.equal((await app.inject({ url: '/assets/missing-0000.js' })).statusCode, 404)
    t.equal((await app.inject({ url: '/favicon.svg' })).body, '<svg/>')
  })

  t.test('nothing outside dist', async (t) => {
    for (const url of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json']) {
      const answer = await app.inject({ url })
      t.notMatch(answer.body, /"name"/, url)
    }
  })

  t.test('an /api path no route matches is a 404 problem, not the page', async (t) => {
    const missing = await app.inject({ url: '/api/nothing-here' })
    t.equal(missing.statusCode, 404)
    t.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8')
  })

  t.test('security headers: a CSP without inline scripts, no framing', async (t) => {
    const page = await app.inject({ url: '/' })
    const csp = String(page.headers['content-security-policy'])
    t.match(csp, /script-src 'self'(;|$)/)
    t.notMatch(csp, /script-src[^;]*unsafe-inline/)
    t.match(csp, /style-src 'self' 'unsafe-inline'/)
    t.match(csp, /img-src 'self' data: blob:/)
    t.match(csp, /connect-src 'self'/)
    t.match(csp, /frame-ancestors 'none'/)
    t.equal(page.headers['x-content-type-options'], 'nosniff')
    t.ok(page.headers['referrer-policy'])
    const api = await app.inject({ url: '/api/session' })
    t.ok(api.headers['content-security-policy'], 'on API answers too')
  })
})

t.test('without a built app, page paths say how to build it', async (t) => {
  const { app } = await build(t, { CONSOLE_WEB_DIST: join(tmpdir(), 'no-such-console-dist') })
  const page = await app.inject({ url: '/states/KEN' })
  t.equal(page.statusCode, 503)
  t.match(page.headers['content-type'], /^text\/plain/)
  t.match(page.body, /build:web/)
})
