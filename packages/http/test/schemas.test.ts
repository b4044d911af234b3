import t from 'tap'
import { iso3, isoDate } from '../src/index.ts'

t.test('isoDate takes a calendar date that exists, and nothing else', async (t) => {
  for (const date of ['2024-02-29', '2025-12-31', '0001-01-01', '9999-12-31'])
    t.ok(isoDate.safeParse(date).success, date)
  for (const date of [
    '2025-02-30',
    '2025-02-29',
    '2026-13-01',
    '2025-04-31',
    '0000-01-01',
    '2025-1-01',
    '2025-01-01T00:00:00Z',
    '',
  ]) {
    const parsed = isoDate.safeParse(date)
    t.notOk(parsed.success, date)
    t.equal(parsed.error?.issues[0]?.message, 'must be a calendar date, YYYY-MM-DD')
  }
})

t.test('iso3 takes three letters in either case and gives them in upper case', async (t) => {
  t.equal(iso3.parse('fra'), 'FRA')
  t.equal(iso3.parse('NOR'), 'NOR')
  for (const code of ['FR', 'FRAN', 'FR1', ' FRA']) t.notOk(iso3.safeParse(code).success, code)
})
