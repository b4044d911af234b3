import t from 'tap'
import { waitOrWake } from '../src/index.ts'

t.test('a wait ends when its time is up, or sooner when woken, and says which', async (t) => {
  const pause = waitOrWake()
  t.equal(await pause.wait(5), false, 'time up')
  const started = Date.now()
  const waiting = pause.wait(10_000)
  setImmediate(() => pause.wake())
  t.equal(await waiting, true, 'woken')
  t.ok(Date.now() - started < 1000)
  pause.wake()
  t.equal(await pause.wait(5), false, 'a wake while nobody waited is not kept for the next wait')
  t.equal(await pause.wait(-5), false, 'no time left: ends at once')
})
