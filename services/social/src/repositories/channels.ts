import type { Queryable } from '@ccm/db'

export const platforms = ['x', 'facebook'] as const
export type Platform = (typeof platforms)[number]
export const channelStatuses = ['active', 'needs_reauth'] as const
export type ChannelStatus = (typeof channelStatuses)[number]

export interface Channel {
  id: string
  platform: Platform
  name: string
  isDefault: boolean
  status: ChannelStatus
  statusReason: string | null
  version: number
  createdAt: string
  updatedAt: string
}

/** A channel with its sealed credentials: only the publisher and the channels service ever see this. */
export interface SealedChannel extends Channel {
  credentials: Buffer
}

// pg returns untyped rows; each is mapped to a typed object below.
type Row = Record<string, any>

const toChannel = (r: Row): Channel => ({
  id: r.id,
  platform: r.platform,
  name: r.name,
  isDefault: r.is_default,
  status: r.status,
  statusReason: r.status_reason,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
})

// The credentials column is named only where sealed credentials are wanted, so no list can leak it.
const columns = 'id, platform, name, is_default, status, status_reason, version, created_at, updated_at'

export function createChannelsRepository(db: Queryable) {
  return {
    async list(client: Queryable = db): Promise<Channel[]> {
      const { rows } = await client.query(`SELECT ${columns} FROM channels ORDER BY name, id`)
      return rows.map(toChannel)
    },

    async get(id: string, client: Queryable = db): Promise<Channel | null> {
      const { rows } = await client.query(`SELECT ${columns} FROM channels WHERE id = $1`, [id])
      return rows[0] ? toChannel(rows[0]) : null
    },

    async getMany(ids: string[], client: Queryable = db): Promise<Channel[]> {
      const { rows } = await client.query(`SELECT ${columns} FROM channels WHERE id = ANY($1::uuid[])`, [ids])
      return rows.map(toChannel)
    },

    async defaults(client: Queryable = db): Promise<Channel[]> {
      const { rows } = await client.query(`SELECT ${columns} FROM channels WHERE is_default ORDER BY name, id`)
      return rows.map(toChannel)
    },

    /** Locks the row until the transaction ends: one credentials refresh or edit at a time. */
    async getSealedForUpdate(id: string, client: Queryable): Promise<SealedChannel | null> {
      const { rows } = await client.query(`SELECT ${columns}, credentials FROM channels WHERE id = $1 FOR UPDATE`, [id])
      return rows[0] ? { ...toChannel(rows[0]), credentials: rows[0].credentials } : null
    },

    /**
     * Every channel with its sealed credentials, each row locked until the transaction ends (in id order, so never a
     * deadlock).
     */
    async listSealedForUpdate(client: Queryable): Promise<SealedChannel[]> {
      const { rows } = await client.query(`SELECT ${columns}, credentials FROM channels ORDER BY id FOR UPDATE`)
      return rows.map((r) => ({ ...toChannel(r), credentials: r.credentials }))
    },

    async getSealed(id: string, client: Queryable = db): Promise<SealedChannel | null> {
      const { rows } = await client.query(`SELECT ${columns}, credentials FROM channels WHERE id = $1`, [id])
      return rows[0] ? { ...toChannel(rows[0]), credentials: rows[0].credentials } : null
    },

    async insert(
      channel: { id: string; platform: Platform; name: string; isDefault: boolean; credentials: Buffer },
      actor: string,
      client: Queryable,
    ): Promise<Channel> {
      const { rows } = await client.query(
        `INSERT INTO channels (id, platform, name, is_default, credentials, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING ${columns}`,
        [channel.id, channel.platform, channel.name, channel.isDefault, channel.credentials, actor],
      )
      return toChannel(rows[0])
    },

    async update(
      id: string,
      changes: { name: string; isDefault: boolean; credentials?: Buffer },
      actor: string,
      client: Queryable,
    ): Promise<Channel> {
      const { rows } = await client.query(
        `UPDATE channels SET name = $2, is_default = $3,
                credentials = coalesce($4, credentials),
                status = CASE WHEN $4::bytea IS NULL THEN status ELSE 'active' END,
                status_reason = CASE WHEN $4::bytea IS NULL THEN status_reason ELSE NULL END,
                version = version + 1, updated_at = now(), updated_by = $5
          WHERE id = $1 RETURNING ${columns}`,
        [id, changes.name, changes.isDefault, changes.credentials ?? null, actor],
      )
      return toChannel(rows[0])
    },

    /** Stores rotated credentials (a refreshed OAuth 2.0 token) without touching anything else. */
    async replaceCredentials(id: string, credentials: Buffer, client: Queryable): Promise<void> {
      await client.query(`UPDATE channels SET credentials = $2, updated_at = now() WHERE id = $1`, [id, credentials])
    },

    async markNeedsReauth(id: string, reason: string, client: Queryable): Promise<Channel | null> {
      const { rows } = await client.query(
        `UPDATE channels SET status = 'needs_reauth', status_reason = $2, version = version + 1, updated_at = now(),
                updated_by = 'system:social-scheduler'
          WHERE id = $1 AND status = 'active' RETURNING ${columns}`,
        [id, reason],
      )
      return rows[0] ? toChannel(rows[0]) : null
    },
  }
}

export type ChannelsRepository = ReturnType<typeof createChannelsRepository>
