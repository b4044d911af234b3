import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * AES-256-GCM with the channel's id as additional data, so a ciphertext copied onto another channel's
 * row fails to decrypt. Layout: version (1 byte) | iv (12) | tag (16) | ciphertext.
 */
export function createSealer(key: Buffer) {
  if (key.length !== 32) throw new Error('the credentials key must be 32 bytes')
  return {
    seal(value: unknown, boundTo: string): Buffer {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(boundTo))
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body])
    },
    open<T>(sealed: Buffer, boundTo: string): T {
      if (sealed[0] !== VERSION) throw new Error(`unknown credentials format ${sealed[0]}`)
      const iv = sealed.subarray(1, 1 + IV_BYTES)
      const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES)
      const decipher = createDecipheriv('aes-256-gcm', key, iv)
      decipher.setAAD(Buffer.from(boundTo))
      decipher.setAuthTag(tag)
      const body = Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()])
      return JSON.parse(body.toString('utf8')) as T
    },
  }
}

export type Sealer = ReturnType<typeof createSealer>
