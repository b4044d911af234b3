import { execFile } from 'node:child_process'
import { createCipheriv, randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import { createTestDatabase, waitFor } from '@ccm/testing'
import { credentialsKeysOf, readConfig } from '../src/config.ts'
import { migrations } from '../src/migrations.ts'
import { createSealer } from '../src/services/crypto.ts'
import { build, inSeconds } from './helper.ts'

const serviceDir = fileURLToPath(new URL('..', import.meta.url))
const newKey = () => randomBytes(32).toString('base64')
const keysOf = (setting: string) =>
  credentialsKeysOf(readConfig({ NODE_ENV: 'test', SOCIAL_CREDENTIALS_KEYS: setting })).keys

/**
 * The format written before ciphertexts carried a key id: 1 | iv | tag | ciphertext, the channel's id as additional
 * data.
 */
function sealedTheOldWay(key: string, value: unknown, boundTo: string): Buffer {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'base64'), iv)
  cipher.setAAD(Buffer.from(boundTo))
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
  return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), body])
}

t.test(
  'SOCIAL_CREDENTIALS_KEYS: id:key pairs, current first; the development key only in development and test',
  async (t) => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-chars' }
    for (const NODE_ENV of ['production', 'staging', undefined]) {
      t.throws(
        () => readConfig({ ...production, NODE_ENV }),
        /SOCIAL_CREDENTIALS_KEYS is required .* unless NODE_ENV is development or test/,
        `NODE_ENV ${NODE_ENV}`,
      )
    }
    const [b, a] = [newKey(), newKey()]
    t.same(
      credentialsKeysOf(readConfig({ ...production, SOCIAL_CREDENTIALS_KEYS: `b:${b}, a:${a}` })).keys.map((k) => k.id),
      ['b', 'a'],
    )
    t.equal(credentialsKeysOf(readConfig({ NODE_ENV: 'development' })).isDevelopmentDefault, true)
    t.equal(
      credentialsKeysOf(readConfig({ NODE_ENV: 'development', SOCIAL_CREDENTIALS_KEYS: '' })).isDevelopmentDefault,
      true,
      'empty counts as unset',
    )
    t.throws(
      () => readConfig({ SOCIAL_CREDENTIALS_KEYS: `a:${randomBytes(16).toString('base64')}` }),
      /SOCIAL_CREDENTIALS_KEYS: key a: must be 32 bytes/,
    )
    t.throws(() => readConfig({ SOCIAL_CREDENTIALS_KEYS: b }), /SOCIAL_CREDENTIALS_KEYS: key 1: needs an id/)
    t.throws(() => readConfig({ SOCIAL_CREDENTIALS_KEYS: `a:${b},a:${a}` }), /key id a appears twice/)
    t.throws(
      () => readConfig({ NODE_ENV: 'test', SOCIAL_CREDENTIALS_KEY: b }),
      /SOCIAL_CREDENTIALS_KEY is replaced by SOCIAL_CREDENTIALS_KEYS/,
    )
  },
)

t.test(
  'sealed credentials carry their key id, open only on their channel, and refuse a cut or tampered tag',
  async (t) => {
    const [a, b] = [newKey(), newKey()]
    const sealer = createSealer(keysOf(`a:${a}`))
    const sealed = sealer.seal({ pageAccessToken: 'secret-token' }, 'channel-a')
    t.notOk(sealed.toString('latin1').includes('secret-token'), 'not in clear')
    t.equal(sealer.keyIdOf(sealed), 'a')
    t.same(sealer.open(sealed, 'channel-a'), { pageAccessToken: 'secret-token' })
    t.throws(() => sealer.open(sealed, 'channel-b'), 'bound to its channel')
    const tampered = Buffer.from(sealed)
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1
    t.throws(() => sealer.open(tampered, 'channel-a'), 'tampering detected')

    const tagStart = 3 + 12 // version, id length, "a", then the iv
    t.throws(
      () => sealer.open(sealed.subarray(0, tagStart + 8), 'channel-a'),
      /authentication tag must be 16 bytes, not 8/,
      'a cut tag is refused',
    )
    t.throws(
      () => sealer.open(Buffer.concat([sealed.subarray(0, tagStart + 8), sealed.subarray(tagStart + 16)]), 'channel-a'),
      'a tag with bytes taken out is refused',
    )
    const relabelled = Buffer.from(sealed)
    relabelled[2] = 'b'.charCodeAt(0)
    t.throws(() => createSealer(keysOf(`b:${a}`)).open(relabelled, 'channel-a'), 'the key id is authenticated too')
    t.throws(
      () => createSealer(keysOf(`b:${b}`)).open(sealed, 'channel-a'),
      /sealed under key a, which is not among SOCIAL_CREDENTIALS_KEYS/,
    )

    const legacy = sealedTheOldWay(a, { pageAccessToken: 'older' }, 'channel-a')
    const both = createSealer(keysOf(`b:${b},a:${a}`))
    t.equal(both.keyIdOf(legacy), null)
    t.same(
      both.open(legacy, 'channel-a'),
      { pageAccessToken: 'older' },
      'written before key ids: opened by whichever key fits',
    )
    t.throws(
      () => createSealer(keysOf(`b:${b}`)).open(legacy, 'channel-a'),
      /open with none of SOCIAL_CREDENTIALS_KEYS/,
    )
    t.throws(() => both.open(legacy.subarray(0, 1 + 12 + 4), 'channel-a'), /authentication tag must be 16 bytes, not 4/)
  },
)

t.test(
  'rotation: channels sealed under key A (and before key ids) are re-encrypted under B, and publish once A is gone',
  async (t) => {
    const database = await createTestDatabase('ccm_social', migrations)
    t.teardown(() => database.drop())
    const [a, b] = [newKey(), newKey()]
    const channels: { id: string; credentials: Record<string, string> }[] = []

    await t.test('under key A', async (t) => {
      const { app, channel } = await build(t, { SOCIAL_CREDENTIALS_KEYS: `a:${a}` }, database)
      channels.push(await channel('x'), await channel('facebook'), await channel('x'))
      const old = channels[2]!
      await app.db.query(`UPDATE channels SET credentials = $2 WHERE id = $1`, [
        old.id,
        sealedTheOldWay(a, old.credentials, old.id),
      ])
    })

    // What `npm run rotate-credentials` runs, under this runner's TypeScript loader so its coverage lines up with the
    // tests'.
    const rotate = (keys: string) =>
      promisify(execFile)(process.execPath, [...process.execArgv, 'src/cli/rotate-credentials.ts'], {
        cwd: serviceDir,
        env: { ...process.env, NODE_ENV: 'test', SOCIAL_DATABASE_URL: database.url, SOCIAL_CREDENTIALS_KEYS: keys },
      })
    const refused = await rotate(`b:${b}`).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    )
    t.match(
      refused,
      {
        code: 1,
        stderr: /credentials not rotated, nothing changed: credentials sealed (under key a|before keys had ids)/,
      },
      'without the old key, refused',
    )
    const { stdout } = await rotate(`b:${b},a:${a}`)
    t.match(
      stdout,
      /social: 3 channel\(s\) re-encrypted under key b; 0 already were/,
      'all three: the refused run changed none',
    )
    t.notMatch(stdout, /secret|token|XYZ/i, 'no secret printed')

    await t.test('under key B alone', async (t) => {
      const { app, x, facebook, admin, channel, approvedPost } = await build(
        t,
        { SOCIAL_CREDENTIALS_KEYS: `b:${b}` },
        database,
      )
      const { rows } = await app.db.query(`SELECT credentials FROM channels`)
      t.ok(
        rows.every((r) => r.credentials.subarray(0, 3).equals(Buffer.from([2, 1, 'b'.charCodeAt(0)]))),
        'every channel sealed under b',
      )
      const audit = await app.db.query(
        `SELECT actor, before, after FROM audit_log WHERE action = 'channel.credentials_rotated'`,
      )
      t.equal(audit.rowCount, 3)
      t.match(audit.rows[0], { actor: /^cli:/, after: { key: 'b' } })
      t.notMatch(JSON.stringify(audit.rows), /secret|token|XYZ/i, 'the audit names keys, never credentials')

      await approvedPost({
        text: 'After the key rotation.',
        channels: channels.map((c) => c.id),
        scheduledAt: inSeconds(0.3),
      })
      await waitFor(
        'published on every channel',
        async () =>
          x.posts.filter((p) => p.text === 'After the key rotation.').length === 2 &&
          facebook.posts.some((p) => p.message === 'After the key rotation.'),
        15_000,
      )
      t.same(
        x.posts.map((p) => p.user).sort(),
        [channels[0]!.credentials.accessToken, channels[2]!.credentials.accessToken].sort(),
        'with the credentials sealed under A',
      )

      const lost = await channel('x')
      await app.db.query(`UPDATE channels SET credentials = $2 WHERE id = $1`, [
        lost.id,
        createSealer(keysOf(`z:${newKey()}`)).seal(lost.credentials, lost.id),
      ])
      await approvedPost({ text: 'Under a key that is gone.', channels: [lost.id], scheduledAt: inSeconds(0.2) })
      const waiting = await waitFor('the channel to need new credentials', async () => {
        const found = (await app.inject({ method: 'GET', url: `/v1/channels/${lost.id}`, headers: admin })).json()
        return found.status === 'needs_reauth' ? found : null
      })
      t.match(
        waiting.statusReason,
        /cannot be decrypted \(credentials sealed under key z, which is not among SOCIAL_CREDENTIALS_KEYS\)/,
        'a key dropped too soon: the channel waits for new credentials',
      )
    })
  },
)
