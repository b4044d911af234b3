import type { Db } from '@ccm/db'
import { withWrites } from '@ccm/events'
import type { ChannelsRepository } from '../repositories/channels.ts'
import type { Sealer } from './crypto.ts'

/**
 * Re-encrypts under the current key every channel sealed under an older one (or before keys had ids),
 * in one transaction: all channels move, or none. Rows stay locked meanwhile, so a token refresh waits.
 */
export async function rotateCredentials(deps: { db: Db; channels: ChannelsRepository; sealer: Sealer }, actor: string) {
  const { db, channels, sealer } = deps
  // A command, not the service: audit rows only, nothing to hand to a relay.
  return withWrites(db, '/ccm/social', async ({ client, writes }) => {
    const all = await channels.listSealedForUpdate(client)
    const stale = all.filter((c) => sealer.keyIdOf(c.credentials) !== sealer.currentKeyId)
    for (const channel of stale) {
      await channels.replaceCredentials(
        channel.id,
        sealer.seal(sealer.open(channel.credentials, channel.id), channel.id),
        client,
      )
    }
    // The audit names the keys, never the credentials.
    writes.audit(
      ...stale.map((c) => ({
        actor,
        entityType: 'channel',
        entityId: c.id,
        action: 'channel.credentials_rotated',
        before: { key: sealer.keyIdOf(c.credentials) ?? 'none (sealed before keys had ids)' },
        after: { key: sealer.currentKeyId },
      })),
    )
    return { rotated: stale.length, total: all.length, keyId: sealer.currentKeyId }
  })
}
