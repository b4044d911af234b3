import { randomUUID } from 'node:crypto'
import type { Db, Queryable } from '@ccm/db'
import type { Events, WriteBuffer } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import { errors } from '../errors.ts'
import type { FacebookCredentials } from '../platforms/facebook.ts'
import { isOAuth2, type XClient, type XCredentials, type XOAuth2Credentials } from '../platforms/x.ts'
import type { Channel, ChannelsRepository, Platform } from '../repositories/channels.ts'
import type { Sealer } from './crypto.ts'

export type Credentials = XCredentials | FacebookCredentials

/** Refresh an OAuth 2.0 token this long before it expires, so a post never leaves with a dead one. */
const REFRESH_MARGIN_MS = 5 * 60_000

// Audit rows name what changed, never the secret itself.
const auditView = (c: Channel) => ({ name: c.name, isDefault: c.isDefault, status: c.status, platform: c.platform })

function audit(
  writes: WriteBuffer,
  ctx: WriteContext,
  channelId: string,
  action: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
) {
  writes.audit({
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    entityType: 'channel',
    entityId: channelId,
    action,
    before,
    after,
  })
}

export function createChannelsService(deps: {
  db: Db
  events: Pick<Events, 'withWrites'>
  channels: ChannelsRepository
  sealer: Sealer
  x: XClient
  onReauthorised(channelId: string): Promise<void>
}) {
  const { db, events, channels, sealer, x } = deps

  async function stale(version: number | undefined, channel: Channel) {
    if (version !== undefined && version !== channel.version) {
      throw new errors.StaleVersion(
        `Channel ${channel.id} is at version ${channel.version}, not ${version}; reload it and try again`,
      )
    }
  }

  return {
    async create(
      input: { platform: Platform; name: string; default?: boolean; credentials: Credentials },
      ctx: WriteContext,
    ): Promise<Channel> {
      const id = randomUUID()
      return events.withWrites(async ({ client, writes }) => {
        const channel = await channels.insert(
          {
            id,
            platform: input.platform,
            name: input.name,
            isDefault: input.default ?? false,
            credentials: sealer.seal(input.credentials, id),
          },
          ctx.actor,
          client,
        )
        audit(writes, ctx, id, 'channel.created', null, { ...auditView(channel), credentials: '[set]' })
        return channel
      })
    },

    /** New credentials re-authorise the channel: its waiting deliveries go out. */
    async update(
      id: string,
      input: { name?: string; default?: boolean; credentials?: Credentials; version?: number },
      ctx: WriteContext,
    ): Promise<Channel> {
      const updated = await events.withWrites(async ({ client, writes }) => {
        const before = await channels.getSealedForUpdate(id, client)
        if (!before) throw new errors.ChannelNotFound(id)
        await stale(input.version, before)
        const after = await channels.update(
          id,
          {
            name: input.name ?? before.name,
            isDefault: input.default ?? before.isDefault,
            credentials: input.credentials ? sealer.seal(input.credentials, id) : undefined,
          },
          ctx.actor,
          client,
        )
        audit(
          writes,
          ctx,
          id,
          'channel.updated',
          { ...auditView(before), credentials: 'unchanged' },
          { ...auditView(after), credentials: input.credentials ? 'replaced' : 'unchanged' },
        )
        return { after, reauthorised: before.status === 'needs_reauth' && after.status === 'active' }
      })
      if (updated.reauthorised) await deps.onReauthorised(id)
      return updated.after
    },

    open<T extends Credentials>(channelId: string, sealed: Buffer): T {
      return sealer.open<T>(sealed, channelId)
    },

    async credentialsOf<T extends Credentials>(channelId: string, client: Queryable = db): Promise<T> {
      const sealed = await channels.getSealed(channelId, client)
      if (!sealed) throw new errors.ChannelNotFound(channelId)
      return sealer.open<T>(sealed.credentials, channelId)
    },

    /**
     * An OAuth 2.0 token close to expiry is refreshed under the channel's row lock, and the rotated pair
     * is committed before it is used: refresh tokens are single-use, so a lost one is a lost channel.
     */
    async freshXCredentials(channelId: string, current: XCredentials): Promise<XCredentials> {
      if (!isOAuth2(current) || !needsRefresh(current)) return current
      return events.withWrites(async ({ client, writes }) => {
        const sealed = await channels.getSealedForUpdate(channelId, client)
        if (!sealed) throw new errors.ChannelNotFound(channelId)
        const latest = sealer.open<XOAuth2Credentials>(sealed.credentials, channelId)
        if (!needsRefresh(latest)) return latest // another instance refreshed it while we waited for the lock
        const next = await x.refresh(latest)
        await channels.replaceCredentials(channelId, sealer.seal(next, channelId), client)
        writes.audit({
          actor: 'system:social-scheduler',
          entityType: 'channel',
          entityId: channelId,
          action: 'channel.token_refreshed',
          before: { token: 'previous' },
          after: { token: 'rotated' },
        })
        return next
      })
    },
  }
}

const needsRefresh = (c: XOAuth2Credentials) => !c.expiresAt || Date.parse(c.expiresAt) - Date.now() < REFRESH_MARGIN_MS

export type ChannelsService = ReturnType<typeof createChannelsService>
