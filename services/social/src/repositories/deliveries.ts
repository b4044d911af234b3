import type { Queryable } from '@ccm/db'
import type { deliveryStatuses } from '@ccm/events'
import type { Platform } from './channels.ts'

export type DeliveryStatus = (typeof deliveryStatuses)[number]

export interface Delivery {
  id: string
  postId: string
  channelId: string
  platform: Platform
  status: DeliveryStatus
  dueAt: string
  remoteIds: string[]
  url: string | null
  error: string | null
  attempts: number
  attemptStartedAt: string | null
  publishedAt: string | null
  updatedAt: string
}

/** A claimed delivery with what its attempt needs: the post's texts and media, the channel's sealed credentials. */
export interface ClaimedDelivery extends Delivery {
  content: { text: string; variants: Record<string, { text: string }>; thread: string[]; media: string[] }
  sealedCredentials: Buffer
}

// pg returns untyped rows; each is mapped to a typed object below.
type Row = Record<string, any>

const toDelivery = (r: Row): Delivery => ({
  id: r.id,
  postId: r.post_id,
  channelId: r.channel_id,
  platform: r.platform,
  status: r.status,
  dueAt: r.due_at.toISOString(),
  remoteIds: r.remote_ids,
  url: r.url,
  error: r.error,
  attempts: r.attempts,
  attemptStartedAt: r.attempt_started_at?.toISOString() ?? null,
  publishedAt: r.published_at?.toISOString() ?? null,
  updatedAt: r.updated_at.toISOString(),
})

const SYSTEM = 'system:social-scheduler'
const selectWithPlatform = `SELECT d.*, c.platform FROM deliveries d JOIN channels c ON c.id = d.channel_id`

export function createDeliveriesRepository(db: Queryable) {
  return {
    async statusesOf(postId: string, client: Queryable = db): Promise<DeliveryStatus[]> {
      const { rows } = await client.query(`SELECT status FROM deliveries WHERE post_id = $1`, [postId])
      return rows.map((r) => r.status)
    },

    async forPosts(postIds: string[], client: Queryable = db): Promise<Delivery[]> {
      const { rows } = await client.query(
        `${selectWithPlatform} WHERE d.post_id = ANY($1::uuid[]) ORDER BY c.name, d.channel_id`,
        [postIds],
      )
      return rows.map(toDelivery)
    },

    async get(postId: string, channelId: string, client: Queryable = db): Promise<Delivery | null> {
      const { rows } = await client.query(`${selectWithPlatform} WHERE d.post_id = $1 AND d.channel_id = $2`, [
        postId,
        channelId,
      ])
      return rows[0] ? toDelivery(rows[0]) : null
    },

    /**
     * Schedules a delivery per channel at `dueAt`, reviving cancelled, missed or failed ones; never one
     * that is publishing, published or unconfirmed. Returns what is now scheduled, for the timer index.
     */
    async schedule(
      postId: string,
      channelIds: string[],
      dueAt: string,
      client: Queryable,
    ): Promise<{ id: string; dueAt: Date }[]> {
      const { rows } = await client.query(
        `INSERT INTO deliveries (post_id, channel_id, status, due_at)
         SELECT $1, channel_id, 'scheduled', $3 FROM unnest($2::uuid[]) AS channel_id
         ON CONFLICT (post_id, channel_id) DO UPDATE
           SET status = 'scheduled', due_at = EXCLUDED.due_at, error = NULL, updated_at = now()
          WHERE deliveries.status IN ('scheduled', 'cancelled', 'missed', 'failed')
         RETURNING id, due_at`,
        [postId, channelIds, dueAt],
      )
      return rows.map((r) => ({ id: r.id, dueAt: r.due_at }))
    },

    /** Withdraws what has not started; returns how many were withdrawn. */
    async cancelPending(postId: string, client: Queryable): Promise<number> {
      const { rowCount } = await client.query(
        `UPDATE deliveries SET status = 'cancelled', updated_at = now()
          WHERE post_id = $1 AND status IN ('scheduled', 'missed')`,
        [postId],
      )
      return rowCount ?? 0
    },

    /**
     * Claims due deliveries in one atomic statement: only rows still `scheduled`, due, on an active
     * channel, so two instances never both take one (rows another instance is claiming are skipped, not
     * waited for). The attempt is recorded (and audited) before any platform call.
     */
    async claim(ids: string[], instanceKey: number, client: Queryable = db): Promise<ClaimedDelivery[]> {
      const { rows } = await client.query(
        `WITH claimed AS (
           UPDATE deliveries d SET status = 'publishing', claimed_by = $2, attempts = d.attempts + 1,
                  attempt_started_at = now(), updated_at = now()
             FROM channels c
            WHERE d.id IN (SELECT id FROM deliveries
                            WHERE id = ANY($1::uuid[]) AND status = 'scheduled' AND due_at <= now()
                            FOR UPDATE SKIP LOCKED)
              AND d.status = 'scheduled' AND c.id = d.channel_id AND c.status = 'active'
           RETURNING d.*, c.platform, c.credentials
         ), audited AS (
           INSERT INTO audit_log (actor, entity_type, entity_id, action, changed_fields, before, after)
           SELECT '${SYSTEM}', 'delivery', id::text, 'delivery.attempt_started', '{attempts,status}',
                  jsonb_build_object('status', 'scheduled', 'attempts', attempts - 1),
                  jsonb_build_object('status', 'publishing', 'attempts', attempts)
             FROM claimed
         )
         SELECT claimed.*, p.text, p.variants, p.thread, p.media_ids
           FROM claimed JOIN posts p ON p.id = claimed.post_id`,
        [ids, instanceKey],
      )
      return rows.map((r) => ({
        ...toDelivery(r),
        // What the attempt needs, read in the same statement as the claim.
        content: { text: r.text, variants: r.variants, thread: r.thread, media: r.media_ids },
        sealedCredentials: r.credentials,
      }))
    },

    /** Due deliveries Postgres knows of, oldest first: the sweep's fallback when the timer index missed some. */
    async overdueIds(olderThanMs: number, limit: number, client: Queryable = db): Promise<string[]> {
      const { rows } = await client.query(
        `SELECT d.id FROM deliveries d JOIN channels c ON c.id = d.channel_id
          WHERE d.status = 'scheduled' AND d.due_at <= now() - make_interval(secs => $1::float / 1000)
            AND c.status = 'active'
          ORDER BY d.due_at LIMIT $2`,
        [olderThanMs, limit],
      )
      return rows.map((r) => r.id)
    },

    /** Every delivery waiting for its time on an active channel: what the timer index is rebuilt from. */
    async timers(ids: string[] | null = null, client: Queryable = db): Promise<{ id: string; dueAt: Date }[]> {
      const { rows } = await client.query(
        `SELECT d.id, d.due_at FROM deliveries d JOIN channels c ON c.id = d.channel_id
          WHERE d.status = 'scheduled' AND c.status = 'active' AND ($1::uuid[] IS NULL OR d.id = ANY($1::uuid[]))`,
        [ids],
      )
      return rows.map((r) => ({ id: r.id, dueAt: r.due_at }))
    },

    async timersOfChannel(channelId: string, client: Queryable = db): Promise<{ id: string; dueAt: Date }[]> {
      const { rows } = await client.query(
        `SELECT id, due_at FROM deliveries WHERE channel_id = $1 AND status = 'scheduled'`,
        [channelId],
      )
      return rows.map((r) => ({ id: r.id, dueAt: r.due_at }))
    },

    /** Stores an id the platform just returned, before anything else happens. */
    async recordRemoteId(id: string, remoteId: string, instanceKey: number, client: Queryable = db): Promise<void> {
      await client.query(
        `UPDATE deliveries SET remote_ids = array_append(remote_ids, $2), updated_at = now()
          WHERE id = $1 AND claimed_by = $3 AND status IN ('publishing', 'unconfirmed')`,
        [id, remoteId, instanceKey],
      )
    },

    async settle(
      id: string,
      change: {
        status: DeliveryStatus
        error: string | null
        url?: string | null
        dueAt?: Date
        published?: boolean
        remoteIds?: string[]
      },
      client: Queryable,
    ): Promise<Delivery | null> {
      const { rows } = await client.query(
        `UPDATE deliveries d SET status = $2, error = $3, url = coalesce($4, d.url), due_at = coalesce($5, d.due_at),
                published_at = CASE WHEN $6::boolean THEN now() ELSE d.published_at END,
                remote_ids = coalesce($7, d.remote_ids), updated_at = now()
           FROM channels c WHERE d.id = $1 AND c.id = d.channel_id
         RETURNING d.*, c.platform`,
        [
          id,
          change.status,
          change.error,
          change.url ?? null,
          change.dueAt ?? null,
          change.published ?? false,
          change.remoteIds ?? null,
        ],
      )
      return rows[0] ? toDelivery(rows[0]) : null
    },

    async getForUpdate(id: string, client: Queryable): Promise<Delivery | null> {
      const { rows } = await client.query(
        `SELECT d.*, c.platform FROM deliveries d JOIN channels c ON c.id = d.channel_id
          WHERE d.id = $1 FOR UPDATE OF d`,
        [id],
      )
      return rows[0] ? toDelivery(rows[0]) : null
    },

    /** Deliveries left `publishing` by an instance that is no longer alive (a crash mid-call). */
    async orphaned(liveInstanceKeys: number[], client: Queryable = db): Promise<Delivery[]> {
      const { rows } = await client.query(
        `${selectWithPlatform} WHERE d.status = 'publishing' AND NOT (d.claimed_by = ANY($1::int[]))`,
        [liveInstanceKeys],
      )
      return rows.map(toDelivery)
    },

    /** Deliveries overdue by more than the window: a person decides whether they still go out. */
    async overdueBeyond(minutes: number, client: Queryable = db): Promise<Delivery[]> {
      const { rows } = await client.query(
        `${selectWithPlatform} WHERE d.status = 'scheduled' AND d.due_at < now() - make_interval(mins => $1)`,
        [minutes],
      )
      return rows.map(toDelivery)
    },
  }
}

export type DeliveriesRepository = ReturnType<typeof createDeliveriesRepository>
