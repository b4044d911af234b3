// Re-encrypts every channel's credentials under the current key (the first of SOCIAL_CREDENTIALS_KEYS).
// Run by `npm run rotate-credentials` once every instance has the new key list; older keys can go after it.
import { userInfo } from 'node:os'
import { createPool } from '@ccm/db'
import { credentialsKeysOf, readConfig } from '../config.ts'
import { createChannelsRepository } from '../repositories/channels.ts'
import { createSealer } from '../services/crypto.ts'
import { rotateCredentials } from '../services/rotation.ts'

const config = readConfig()
const db = createPool(config.SOCIAL_DATABASE_URL, { max: 1, applicationName: 'social-rotate-credentials' })
try {
  const sealer = createSealer(credentialsKeysOf(config).keys)
  const { rotated, total, keyId } = await rotateCredentials(
    { db, channels: createChannelsRepository(db), sealer },
    `cli:${userInfo().username}`,
  )
  console.log(`social: ${rotated} channel(s) re-encrypted under key ${keyId}; ${total - rotated} already were`)
} catch (error) {
  // One transaction: a channel that cannot be opened leaves every channel as it was.
  console.error(`social: credentials not rotated, nothing changed: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await db.end()
}
