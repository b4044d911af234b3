import type { Redis } from 'ioredis'

export interface Timer {
  id: string
  dueAt: Date
}

/**
 * The Redis timer index: a sorted set of delivery ids scored by due time, for prompt wake-ups.
 * Postgres stays the source of truth: a sentinel key tells whether the index is whole, and a missing
 * sentinel (Redis restarted or flushed) means rebuild it from Postgres.
 */
export function createTimerIndex(redis: Redis, namespace: string) {
  const key = `social:timers:${namespace}`
  const sentinel = `${key}:built`

  return {
    async add(timers: Timer[]): Promise<void> {
      if (timers.length === 0) return
      const args = timers.flatMap((t) => [t.dueAt.getTime(), t.id])
      await redis.zadd(key, ...args)
    },

    async remove(ids: string[]): Promise<void> {
      if (ids.length) await redis.zrem(key, ...ids)
    },

    /** Replaces the index with what Postgres holds, then marks it whole. */
    async rebuild(timers: Timer[]): Promise<void> {
      const pipeline = redis.multi().del(key)
      for (let i = 0; i < timers.length; i += 1000) {
        pipeline.zadd(key, ...timers.slice(i, i + 1000).flatMap((t) => [t.dueAt.getTime(), t.id]))
      }
      await pipeline.set(sentinel, new Date().toISOString()).exec()
    },

    /** Due ids (at most `limit`), the next due time after them, and whether the index is still whole. */
    async peek(now: number, limit: number): Promise<{ intact: boolean; due: string[]; nextAt: number | null }> {
      const results = await redis
        .multi()
        .exists(sentinel)
        .zrangebyscore(key, '-inf', now, 'LIMIT', 0, limit)
        .zrangebyscore(key, `(${now}`, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
        .exec()
      if (!results) throw new Error('redis transaction aborted')
      const [[, exists], [, due], [, next]] = results as [[null, number], [null, string[]], [null, string[]]]
      return { intact: exists === 1, due, nextAt: next[1] ? Number(next[1]) : null }
    },
  }
}

export type TimerIndex = ReturnType<typeof createTimerIndex>
