import type { Redis } from 'ioredis'

// INCRBY with the window's expiry set on first use; returns the count and the window's time left.
const incrementScript = `
  local current = redis.call('INCRBY', KEYS[1], ARGV[1])
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    ttl = tonumber(ARGV[2])
  end
  return {current, ttl}`

interface Counter {
  /** The count Redis last reported, all instances together. */
  known: number
  /** Requests counted here and not yet added in Redis. */
  pending: number
  resetAt: number
  synced: boolean
}

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void

/**
 * A store for @fastify/rate-limit that counts in Redis without a Redis round trip per request: a
 * client's first request in a window asks Redis, later ones are counted here and added in Redis in
 * batches every `flushMs`. Every instance sees the others' counts within one flush, so a client can
 * overshoot its limit by what it sends in `flushMs` to each instance; in exchange, reads cost no
 * more than their own work.
 */
export class BatchedRedisStore {
  private readonly counters = new Map<string, Counter>()
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly flushMs = 100,
  ) {
    if (!('ccmRateLimit' in redis)) redis.defineCommand('ccmRateLimit', { numberOfKeys: 1, lua: incrementScript })
  }

  incr(key: string, callback: Callback, timeWindow: number): void {
    const now = Date.now()
    let counter = this.counters.get(key)
    if (!counter || counter.resetAt <= now) {
      counter = { known: 0, pending: 0, resetAt: now + timeWindow, synced: false }
      this.counters.set(key, counter)
    }
    counter.pending += 1
    if (!counter.synced) {
      // The first request of a window learns what the other instances have counted.
      this.send(key, counter, timeWindow).then(
        () => callback(null, { current: counter.known + counter.pending, ttl: counter.resetAt - Date.now() }),
        (error: Error) => callback(error),
      )
      return
    }
    this.timer ??= setTimeout(() => this.flush(timeWindow), this.flushMs)
    callback(null, { current: counter.known + counter.pending, ttl: counter.resetAt - now })
  }

  child(): BatchedRedisStore {
    return this
  }

  /** Adds every pending count in Redis; called on a timer and when the app closes. */
  async flush(timeWindow: number): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const now = Date.now()
    const sends: Promise<void>[] = []
    for (const [key, counter] of this.counters) {
      if (counter.resetAt <= now) this.counters.delete(key)
      else if (counter.pending > 0) sends.push(this.send(key, counter, timeWindow).catch(() => {}))
    }
    await Promise.all(sends)
  }

  private async send(key: string, counter: Counter, timeWindow: number): Promise<void> {
    const sent = counter.pending
    // ioredis types no command added by defineCommand (the constructor adds ccmRateLimit).
    const [current, ttl] = await (
      this.redis as unknown as Record<string, (...args: unknown[]) => Promise<[number, number]>>
    ).ccmRateLimit!(this.prefix + key, sent, timeWindow)
    counter.known = current
    counter.pending -= sent // requests counted while the call was in flight stay pending
    counter.resetAt = Date.now() + ttl
    counter.synced = true
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
