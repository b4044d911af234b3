import t from 'tap'
import { readFile } from 'node:fs/promises'
import { parse } from 'csv-parse/sync'
import {
  addMonths,
  applyArmedConflict,
  applyTreatyStep,
  entryIntoForceFor,
  notSigned,
  withdrawalEffectiveFor,
  withdrawalTakenEffect,
  type TreatyRecord,
} from '../src/services/treaty-rules.ts'

const today = '2026-11-27'

t.test('entry into force is the first day of the sixth month after the month of deposit', async (t) => {
  t.equal(entryIntoForceFor('2025-09-05'), '2026-03-01', 'Vanuatu')
  t.equal(entryIntoForceFor('2025-09-30'), '2026-03-01')
  t.equal(entryIntoForceFor('2011-07-31'), '2012-01-01', 'across a year end')
  t.equal(entryIntoForceFor('2009-06-16'), '2010-08-01', 'the first 30 were bound from 1 August 2010')
  t.equal(entryIntoForceFor('2010-02-16'), '2010-08-01', 'the 30th instrument')
  t.equal(entryIntoForceFor('2010-03-01'), '2010-09-01')
})

t.test('every entry into force in the registry data follows from its deposit date', async (t) => {
  const rows: Record<string, string>[] = parse(await readFile(new URL('../data/ccm-states.csv', import.meta.url)), {
    columns: true,
  })
  const deposited = rows.filter((r) => r.ratified_or_acceded)
  t.ok(deposited.length >= 113)
  for (const row of deposited) t.equal(entryIntoForceFor(row.ratified_or_acceded!), row.entry_into_force, row.iso3!)
})

t.test('a withdrawal takes effect six months after the notice', async (t) => {
  t.equal(withdrawalEffectiveFor('2024-09-06'), '2025-03-06', 'Lithuania')
  t.equal(withdrawalEffectiveFor('2025-08-31'), '2026-02-28', 'clamped to the end of a short month')
  t.equal(addMonths('2023-08-31', 6), '2024-02-29', 'leap year')
})

t.test('signature, then ratification, then withdrawal, then accession again', async (t) => {
  const signed = applyTreatyStep(notSigned, 'signature', '2008-12-03', today)
  t.ok(signed.ok)
  if (!signed.ok) return
  t.equal(signed.next.status, 'signatory')
  const ratified = applyTreatyStep(signed.next, 'ratification', '2011-03-24', today)
  t.ok(ratified.ok)
  if (!ratified.ok) return
  t.match(ratified.next, {
    status: 'state_party',
    depositedOn: '2011-03-24',
    how: 'ratification',
    entryIntoForceOn: '2011-09-01',
  })
  const noticed = applyTreatyStep(ratified.next, 'withdrawal', '2024-09-06', today)
  t.ok(noticed.ok)
  if (!noticed.ok) return
  t.match(
    noticed.next,
    { status: 'state_party', withdrawalNoticeOn: '2024-09-06', withdrawalEffectiveOn: '2025-03-06' },
    'still a State Party, and bound, until the withdrawal takes effect',
  )
  t.equal(withdrawalTakenEffect(noticed.next, '2025-03-05'), null, 'not the day before')
  const withdrawn = withdrawalTakenEffect(noticed.next, '2025-03-06')!
  t.match(
    withdrawn,
    { status: 'withdrawn', withdrawalNoticeOn: '2024-09-06', withdrawalEffectiveOn: '2025-03-06' },
    'withdrawn from the effective date',
  )
  t.match(
    applyTreatyStep(noticed.next, 'accession', '2025-01-10', today),
    { ok: false, reason: /already a State Party/ },
    'no new instrument while the notice is pending',
  )
  t.match(applyTreatyStep(withdrawn, 'accession', '2025-03-05', today), {
    ok: false,
    reason: /takes effect on 2025-03-06/,
  })
  const again = applyTreatyStep(withdrawn, 'accession', '2026-04-02', today)
  t.match(again, {
    ok: true,
    next: { status: 'state_party', how: 'accession', entryIntoForceOn: '2026-10-01', withdrawalNoticeOn: null },
  })
})

t.test(
  'a state that withdrew joins again by the instrument it deposits, a signatory by ratification too',
  async (t) => {
    const withdrawn: TreatyRecord = {
      ...notSigned,
      status: 'withdrawn',
      signedOn: '2008-12-03',
      depositedOn: '2011-03-24',
      how: 'ratification',
      entryIntoForceOn: '2011-09-01',
      withdrawalNoticeOn: '2024-09-06',
      withdrawalEffectiveOn: '2025-03-06',
    }
    for (const kind of ['ratification', 'acceptance', 'approval', 'accession'] as const) {
      t.match(
        applyTreatyStep(withdrawn, kind, '2026-04-02', today),
        { ok: true, next: { status: 'state_party', how: kind, depositedOn: '2026-04-02', withdrawalNoticeOn: null } },
        kind,
      )
    }
    const neverSigned = { ...withdrawn, signedOn: null, how: 'accession' }
    t.match(
      applyTreatyStep(neverSigned, 'ratification', '2026-04-02', today),
      { ok: true },
      'as the depositary records it, even without a signature',
    )
  },
)

t.test('a notice of withdrawal can be revoked until it takes effect, as if it had not been given', async (t) => {
  const party: TreatyRecord = {
    ...notSigned,
    status: 'state_party',
    signedOn: '2008-12-03',
    depositedOn: '2011-03-24',
    how: 'ratification',
    entryIntoForceOn: '2011-09-01',
  }
  const noticed = applyTreatyStep(party, 'withdrawal', '2026-06-01', today)
  if (!noticed.ok) return t.fail(noticed.reason)
  t.match(applyTreatyStep(noticed.next, 'withdrawal', '2026-07-01', today), { ok: false, reason: /already pending/ })
  t.match(applyTreatyStep(noticed.next, 'withdrawal_revocation', '2026-10-01', today), { ok: true, next: party })
  t.match(applyTreatyStep(noticed.next, 'withdrawal_revocation', '2026-05-31', today), {
    ok: false,
    reason: /precede the notice/,
  })
  t.match(
    applyTreatyStep(
      { ...noticed.next, withdrawalNoticeOn: '2025-01-10', withdrawalEffectiveOn: '2025-07-10' },
      'withdrawal_revocation',
      '2025-07-10',
      today,
    ),
    { ok: false, reason: /took effect on 2025-07-10/ },
  )
  t.match(applyTreatyStep(party, 'withdrawal_revocation', '2026-10-01', today), { ok: false, reason: /none pending/ })
})

t.test(
  "Art. 20(3)'s armed-conflict proviso holds a withdrawal back until a person gives the day it takes effect",
  async (t) => {
    const noticed: TreatyRecord = {
      ...notSigned,
      status: 'state_party',
      depositedOn: '2011-03-24',
      how: 'ratification',
      entryIntoForceOn: '2011-09-01',
      withdrawalNoticeOn: '2026-01-15',
      withdrawalEffectiveOn: '2026-07-15',
    }
    const held = applyArmedConflict(noticed, { armedConflict: true })
    if (!held.ok) return t.fail(held.reason)
    t.match(held.next, { status: 'state_party', withdrawalArmedConflict: true, withdrawalEffectiveOn: null })
    t.equal(withdrawalTakenEffect(held.next, '2030-01-01'), null, 'no date, no effect')
    t.match(applyArmedConflict(held.next, { armedConflict: true, effectiveOn: '2027-02-01' }), {
      ok: true,
      next: { withdrawalArmedConflict: true, withdrawalEffectiveOn: '2027-02-01' },
    })
    t.match(applyArmedConflict(held.next, { armedConflict: true, effectiveOn: '2026-07-14' }), {
      ok: false,
      reason: /no earlier than six months after the notice, on 2026-07-15/,
    })
    t.match(
      applyArmedConflict(held.next, { armedConflict: false }),
      { ok: true, next: { withdrawalArmedConflict: false, withdrawalEffectiveOn: '2026-07-15' } },
      'recorded in error: the six months apply',
    )
    t.match(
      applyArmedConflict(
        { ...noticed, withdrawalNoticeOn: null, withdrawalEffectiveOn: null },
        { armedConflict: true },
      ),
      { ok: false, reason: /no notice of withdrawal is pending/ },
    )
  },
)

t.test('steps that make no sense for the current status are refused with a reason', async (t) => {
  const party: TreatyRecord = {
    ...notSigned,
    status: 'state_party',
    depositedOn: '2020-01-10',
    how: 'accession',
    entryIntoForceOn: '2020-07-01',
  }
  const signatory: TreatyRecord = { ...notSigned, status: 'signatory', signedOn: '2008-12-03' }
  t.match(applyTreatyStep(party, 'accession', '2024-01-01', today), { ok: false, reason: /already a State Party/ })
  t.match(applyTreatyStep(signatory, 'accession', '2024-01-01', today), { ok: false, reason: /ratification/ })
  t.match(applyTreatyStep(notSigned, 'ratification', '2024-01-01', today), { ok: false, reason: /accede instead/ })
  t.match(applyTreatyStep(notSigned, 'signature', '2012-05-01', today), { ok: false, reason: /signature closed/ })
  t.match(applyTreatyStep(notSigned, 'withdrawal', '2024-01-01', today), { ok: false, reason: /only a State Party/ })
  t.match(applyTreatyStep(signatory, 'ratification', '2008-01-01', today), {
    ok: false,
    reason: /before the Convention opened/,
  })
  t.match(applyTreatyStep(notSigned, 'accession', '2027-01-01', today), { ok: false, reason: /future/ })
  t.match(applyTreatyStep(party, 'withdrawal', '2019-12-31', today), { ok: false, reason: /precede the deposit/ })
})
