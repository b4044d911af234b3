import t from 'tap'
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { BatchedRedisStore } from '../src/rate-limit-store.ts'

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

t.test('two instances share one count through Redis', async (t) => {
  const redis = new Redis(redisUrl)
  t.teardown(() => redis.quit())
  const prefix = `test-rate-limit-${randomUUID()}:`
  const a = new BatchedRedisStore(redis, prefix, 20)
  const b = new BatchedRedisStore(redis, prefix, 20)
  t.teardown(() => {
    a.close()
    b.close()
  })
  const incr = (store: BatchedRedisStore) =>
    new Promise<{ current: number; ttl: number }>((resolve, reject) =>
      store.incr('client', (error, result) => (error ? reject(error) : resolve(result!)), 60_000),
    )

  t.equal((await incr(a)).current, 1, 'the first request asks Redis')
  t.equal((await incr(a)).current, 2, 'later ones count locally')
  t.equal((await incr(a)).current, 3)
  await a.flush(60_000)
  t.equal(await redis.get(`${prefix}client`), '3', 'the local count reaches Redis')

  const fromB = await incr(b)
  t.equal(fromB.current, 4, 'the other instance starts from the shared count')
  t.ok(fromB.ttl > 0 && fromB.ttl <= 60_000, 'and from the same window')
  t.ok((await redis.pttl(`${prefix}client`)) > 0, 'the window expires in Redis')
  await redis.del(`${prefix}client`)
})
