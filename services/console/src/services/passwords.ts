import { randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

/**
 * Passwords are hashed with argon2id, @node-rs/argon2's default algorithm, at its defaults (19 MiB, 2 passes, 1 lane):
 * OWASP's first recommended setting.
 */
export const hashPassword = (password: string): Promise<string> => hash(password)

/**
 * A hash of a password nobody has: sign-in verifies against it when the user does not exist, so timing tells nothing.
 */
const decoy = hash(randomBytes(16).toString('hex'))

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  try {
    const matches = await verify(passwordHash ?? (await decoy), password)
    return passwordHash !== null && matches
  } catch {
    return false // a hash that does not parse matches nothing
  }
}

/** 20 characters, 120 bits: handed over once, to be changed at the first sign-in. */
export const oneTimePassword = (): string => randomBytes(15).toString('base64url')

export const MIN_PASSWORD_LENGTH = 12
