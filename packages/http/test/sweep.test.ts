import t from 'tap'
import Fastify from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'
import { addSweep } from '../src/index.ts'

t.test(
  'a sweep runs once ready and then on its interval, one pass at a time, and survives a failed pass',
  async (t) => {
    const lines: { msg: string; level: number }[] = []
    const app = Fastify({
      logger: { level: 'info', stream: { write: (line: string) => lines.push(JSON.parse(line)) } },
    })
    let passes = 0
    let concurrent = 0
    let most = 0
    addSweep(app, {
      name: 'test sweep',
      everyMs: 20,
      run: async () => {
        passes++
        most = Math.max(most, ++concurrent)
        await sleep(50) // longer than the interval: the next ticks must not start a second pass
        concurrent--
        if (passes === 2) throw new Error('database away')
        return passes === 1 ? 3 : 0
      },
    })
    await app.ready()
    await sleep(300)
    await app.close()
    const after = passes
    await sleep(100)
    t.ok(after >= 3, `${after} passes`)
    t.equal(passes, after, 'no pass after close')
    t.equal(most, 1, 'never two passes at once')
    t.ok(
      lines.some((l) => l.msg === 'test sweep: 3 changed'),
      'a pass that changed something says so',
    )
    t.ok(
      lines.some((l) => l.level === 50 && l.msg === 'test sweep failed; the next pass tries again'),
      'a failed pass is logged',
    )
  },
)

t.test('closing the app cuts a long pass short between two steps', async (t) => {
  const app = Fastify()
  let steps = 0
  addSweep(app, {
    name: 'long sweep',
    everyMs: 60_000,
    run: async (closing) => {
      while (!closing.aborted && steps < 1000) {
        steps++
        await sleep(10)
      }
      return steps
    },
  })
  await app.ready()
  await sleep(100)
  const started = performance.now()
  await app.close()
  t.ok(performance.now() - started < 500, 'close waits for the step under way only')
  t.ok(steps < 100, `${steps} steps of 1,000 run`)
})
