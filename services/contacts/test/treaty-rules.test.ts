import t from 'tap'
import { readFile } from 'node:fs/promises'
import { parse } from 'csv-parse/sync'
import { addMonths, applyTreatyStep, entryIntoForceFor, withdrawalEffectiveFor, type TreatyRecord } from '../src/services/treaty-rules.ts'

const notSigned: TreatyRecord = { status: 'not_signed', signedOn: null, depositedOn: null, how: null, entryIntoForceOn: null, withdrawalNoticeOn: null, withdrawalEffectiveOn: null }
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
  const rows: Record<string, string>[] = parse(await readFile(new URL('../data/ccm-states.csv', import.meta.url)), { columns: true })
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
  t.match(ratified.next, { status: 'state_party', depositedOn: '2011-03-24', how: 'ratification', entryIntoForceOn: '2011-09-01' })
  const withdrawn = applyTreatyStep(ratified.next, 'withdrawal', '2024-09-06', today)
  t.ok(withdrawn.ok)
  if (!withdrawn.ok) return
  t.match(withdrawn.next, { status: 'withdrawn', withdrawalNoticeOn: '2024-09-06', withdrawalEffectiveOn: '2025-03-06' })
  const early = applyTreatyStep(withdrawn.next, 'accession', '2025-01-10', today)
  t.notOk(early.ok, 'no accession before the withdrawal takes effect')
  const again = applyTreatyStep(withdrawn.next, 'accession', '2026-04-02', today)
  t.match(again, { ok: true, next: { status: 'state_party', how: 'accession', entryIntoForceOn: '2026-10-01', withdrawalNoticeOn: null } })
})

t.test('steps that make no sense for the current status are refused with a reason', async (t) => {
  const party: TreatyRecord = { ...notSigned, status: 'state_party', depositedOn: '2020-01-10', how: 'accession', entryIntoForceOn: '2020-07-01' }
  const signatory: TreatyRecord = { ...notSigned, status: 'signatory', signedOn: '2008-12-03' }
  t.match(applyTreatyStep(party, 'accession', '2024-01-01', today), { ok: false, reason: /already a State Party/ })
  t.match(applyTreatyStep(signatory, 'accession', '2024-01-01', today), { ok: false, reason: /ratification/ })
  t.match(applyTreatyStep(notSigned, 'ratification', '2024-01-01', today), { ok: false, reason: /accede instead/ })
  t.match(applyTreatyStep(notSigned, 'signature', '2012-05-01', today), { ok: false, reason: /signature closed/ })
  t.match(applyTreatyStep(notSigned, 'withdrawal', '2024-01-01', today), { ok: false, reason: /only a State Party/ })
  t.match(applyTreatyStep(signatory, 'ratification', '2008-01-01', today), { ok: false, reason: /before the Convention opened/ })
  t.match(applyTreatyStep(notSigned, 'accession', '2027-01-01', today), { ok: false, reason: /future/ })
  t.match(applyTreatyStep(party, 'withdrawal', '2019-12-31', today), { ok: false, reason: /precede the deposit/ })
})
