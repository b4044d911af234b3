import t from 'tap'
import { probeRouteAuth } from '@ccm/testing'
import { build } from './helper.ts'

t.test(
  'every /v1 route refuses a caller without a token, and a viewer on writes, however its path is spelled',
  async (t) => {
    const { app, as } = await build(t)
    const probes = await probeRouteAuth(app, (await as('viewer')).authorization)
    t.ok(probes.length > 20, `${probes.length} requests`)
    const wrong = probes.filter((p) => p.status !== p.expected)
    t.same(wrong, [], 'every answer as expected')
  },
)
