import t from 'tap'
import {
  checkManualMove,
  initialStage,
  moveAfterInteraction,
  stageAfterInteraction,
} from '../src/services/stage-rules.ts'

t.test('interactions move a target forward from the first two stages only', async (t) => {
  t.equal(stageAfterInteraction('not_engaged', 'letter'), 'contacted')
  t.equal(stageAfterInteraction('not_engaged', 'demarche'), 'contacted')
  t.equal(stageAfterInteraction('not_engaged', 'meeting'), 'engaged')
  t.equal(stageAfterInteraction('contacted', 'event'), 'engaged')
  t.equal(stageAfterInteraction('contacted', 'email'), null, 'never sideways')
  t.equal(stageAfterInteraction('considering', 'meeting'), null, 'never back')
  t.equal(stageAfterInteraction('paused', 'meeting'), null, 'an off-ramp is left by a person')
  t.equal(stageAfterInteraction('not_engaged', 'other'), null)
})

t.test('the move an interaction kind makes names every stage it moves a target from', async (t) => {
  t.same(moveAfterInteraction('letter'), { to: 'contacted', from: ['not_engaged'] })
  t.same(moveAfterInteraction('meeting'), { to: 'engaged', from: ['not_engaged', 'contacted'] })
  t.equal(moveAfterInteraction('other'), null)
})

t.test('a new target starts where its treaty status puts it', async (t) => {
  t.equal(initialStage({ status: 'signatory', entryIntoForceOn: null }, '2026-11-27'), 'not_engaged')
  t.equal(initialStage({ status: 'state_party', entryIntoForceOn: '2026-03-01' }, '2026-11-27'), 'in_force')
  t.equal(initialStage({ status: 'state_party', entryIntoForceOn: '2027-03-01' }, '2026-11-27'), 'joined')
  t.equal(initialStage({ status: 'withdrawn', entryIntoForceOn: '2011-09-01' }, '2026-11-27'), 'not_engaged')
})

t.test('manual moves need a reason where a judgement is made, and never touch the treaty stages', async (t) => {
  t.match(checkManualMove('contacted', 'engaged', undefined), { ok: false, field: 'reason' })
  t.match(checkManualMove('contacted', 'engaged', 'Met the ambassador'), { ok: true })
  t.match(checkManualMove('not_engaged', 'contacted', undefined), { ok: true }, 'a plain contact needs no reason')
  t.match(checkManualMove('considering', 'declined', '  '), { ok: false, field: 'reason' })
  t.match(
    checkManualMove('committed', 'considering', undefined),
    { ok: false, field: 'reason' },
    'moving back needs a reason',
  )
  t.match(
    checkManualMove('paused', 'considering', undefined),
    { ok: false, field: 'reason' },
    'back from an off-ramp into a judged stage',
  )
  t.match(checkManualMove('paused', 'contacted', undefined), { ok: true }, 'back from an off-ramp to plain contact')
  t.match(checkManualMove('committed', 'joined', 'They told us'), { ok: false, reason: /depositary/ })
  t.match(checkManualMove('in_force', 'paused', 'why not'), { ok: false, reason: /State Party/ })
  t.match(checkManualMove('engaged', 'engaged', 'again'), { ok: false, reason: /already/ })
})
