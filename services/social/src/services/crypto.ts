import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { CredentialsKey } from '../config.ts'

/** Written before keys had ids: version (1) | iv (12) | tag (16) | ciphertext, under one of the keys. */
const LEGACY = 1
/** version (1) | key id length (1) | key id | iv (12) | tag (16) | ciphertext. */
const KEYED = 2
const IV_BYTES = 12
const TAG_BYTES = 16
const REFUSED = 'sealed credentials refused'

/** AES-256-GCM, refusing any tag but a full 16 bytes (a short tag is far easier to forge). */
function decrypt(key: Buffer, sealed: Buffer, start: number, aad: Buffer): Buffer {
  const iv = sealed.subarray(start, start + IV_BYTES)
  const tag = sealed.subarray(start + IV_BYTES, start + IV_BYTES + TAG_BYTES)
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
    throw new Error(`${REFUSED}: the authentication tag must be ${TAG_BYTES} bytes, not ${tag.length}`)
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
  decipher.setAAD(aad)
  decipher.setAuthTag(tag)
  return Buffer.concat([decipher.update(sealed.subarray(start + IV_BYTES + TAG_BYTES)), decipher.final()])
}

/**
 * Channel credentials, sealed under the first (current) key and opened by the key id each ciphertext
 * carries. The header and the channel's id are additional data, so a ciphertext copied onto another
 * channel's row, or relabelled with another key id, fails to decrypt.
 */
export function createSealer(keys: readonly CredentialsKey[]) {
  if (keys.length === 0 || keys.some((k) => k.key.length !== 32))
    throw new Error('credentials keys must be 32 bytes each')
  const current = keys[0]!

  /** The id of the key a ciphertext was sealed under; null for one written before keys had ids. */
  function keyIdOf(sealed: Buffer): string | null {
    if (sealed[0] === LEGACY) return null
    if (sealed[0] !== KEYED || sealed.length < 2) throw new Error(`unknown credentials format ${sealed[0]}`)
    return sealed.subarray(2, 2 + sealed[1]!).toString('utf8')
  }

  /** No key id to go by (and only the channel's id as additional data): whichever key opens it is the one. */
  function openLegacy(sealed: Buffer, boundTo: string): Buffer {
    for (const { key } of keys) {
      try {
        return decrypt(key, sealed, 1, Buffer.from(boundTo))
      } catch (error) {
        if ((error as Error).message.startsWith(REFUSED)) throw error
      }
    }
    throw new Error('credentials sealed before keys had ids open with none of SOCIAL_CREDENTIALS_KEYS')
  }

  return {
    currentKeyId: current.id,
    keyIdOf,

    seal(value: unknown, boundTo: string): Buffer {
      const id = Buffer.from(current.id, 'utf8')
      const header = Buffer.concat([Buffer.from([KEYED, id.length]), id])
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', current.key, iv, { authTagLength: TAG_BYTES })
      cipher.setAAD(Buffer.concat([header, Buffer.from(boundTo)]))
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
      return Buffer.concat([header, iv, cipher.getAuthTag(), body])
    },

    open<T>(sealed: Buffer, boundTo: string): T {
      const keyId = keyIdOf(sealed)
      if (keyId === null) return JSON.parse(openLegacy(sealed, boundTo).toString('utf8')) as T
      const key = keys.find((k) => k.id === keyId)
      if (!key) throw new Error(`credentials sealed under key ${keyId}, which is not among SOCIAL_CREDENTIALS_KEYS`)
      const start = 2 + sealed[1]!
      return JSON.parse(
        decrypt(key.key, sealed, start, Buffer.concat([sealed.subarray(0, start), Buffer.from(boundTo)])).toString(
          'utf8',
        ),
      ) as T
    },
  }
}

export type Sealer = ReturnType<typeof createSealer>
