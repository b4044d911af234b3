import t from 'tap'
import { firstAnnualYear, initialReportDueOn, obligationsUntil, reportsDue } from '../src/services/article7.ts'

const vanuatu = { entryIntoForceOn: '2026-03-01', withdrawalEffectiveOn: null }

t.test('the initial report is due 180 days after entry into force for that State Party', async (t) => {
  t.equal(initialReportDueOn('2026-03-01'), '2026-08-28', 'Vanuatu, bound from 1 March 2026')
  t.equal(initialReportDueOn('2010-08-01'), '2011-01-28', 'the first States Parties')
  t.equal(initialReportDueOn('2023-08-01'), '2024-01-28', 'Nigeria, across a year end')
})

t.test(
  'a state that joined mid-year owes its first annual update on the first 30 April after its initial report',
  async (t) => {
    t.equal(
      firstAnnualYear('2026-03-01'),
      2026,
      'bound in March: initial by 28 August 2026, then the update on 2026 by 30 April 2027',
    )
    t.same(obligationsUntil(vanuatu, '2028-04-30'), [
      { kind: 'initial', year: null, dueOn: '2026-08-28' },
      { kind: 'annual', year: 2026, dueOn: '2027-04-30' },
      { kind: 'annual', year: 2027, dueOn: '2028-04-30' },
    ])
    t.equal(
      firstAnnualYear('2025-12-01'),
      2026,
      'bound in December: the initial report (30 May 2026) comes after 30 April 2026, so the first update is on 2026',
    )
    t.equal(
      firstAnnualYear('2025-11-01'),
      2026,
      'initial report due on 30 April itself: the update falls due a year later',
    )
    t.equal(
      firstAnnualYear('2025-10-01'),
      2025,
      'initial due 30 March 2026: the update on 2025 is due on 30 April 2026',
    )
  },
)

t.test('bound on 1 November, a state owes the same first update whether or not February has 29 days', async (t) => {
  t.equal(initialReportDueOn('2015-11-01'), '2016-04-29', 'South Africa: 2016 is a leap year')
  t.equal(initialReportDueOn('2013-11-01'), '2014-04-30', 'Iraq')
  t.equal(firstAnnualYear('2015-11-01'), 2016, 'South Africa: the first update is on 2016, due 30 April 2017')
  t.equal(firstAnnualYear('2013-11-01'), 2014, 'Iraq: the first update is on 2014, due 30 April 2015')
  const southAfrica = obligationsUntil({ entryIntoForceOn: '2015-11-01', withdrawalEffectiveOn: null }, '2017-04-30')
  t.same(
    southAfrica,
    [
      { kind: 'initial', year: null, dueOn: '2016-04-29' },
      { kind: 'annual', year: 2016, dueOn: '2017-04-30' },
    ],
    'no update on 2015',
  )
  t.equal(firstAnnualYear('2015-12-01'), 2016, 'bound on 1 December 2015 (initial by 29 May 2016): also 2016')
  t.equal(firstAnnualYear('2013-12-01'), 2014)
})

t.test('a late State Party sees its report overdue with the days late, and the next one due', async (t) => {
  t.same(reportsDue(vanuatu, [], '2026-11-27'), [
    { kind: 'initial', year: null, dueOn: '2026-08-28', status: 'overdue', daysLate: 91 },
    { kind: 'annual', year: 2026, dueOn: '2027-04-30', status: 'due', daysLate: 0 },
  ])
  t.same(
    reportsDue(vanuatu, [{ kind: 'initial', year: null }], '2026-11-27'),
    [{ kind: 'annual', year: 2026, dueOn: '2027-04-30', status: 'due', daysLate: 0 }],
    'once the initial report is in, only the update remains',
  )
  t.same(
    reportsDue(vanuatu, [{ kind: 'initial', year: null }], '2027-04-30').map((d) => d.status),
    ['due'],
    'on the deadline itself it is not late yet',
  )
  t.same(reportsDue(vanuatu, [{ kind: 'initial', year: null }], '2027-05-10'), [
    { kind: 'annual', year: 2026, dueOn: '2027-04-30', status: 'overdue', daysLate: 10 },
    { kind: 'annual', year: 2027, dueOn: '2028-04-30', status: 'due', daysLate: 0 },
  ])
  const nigeria = { entryIntoForceOn: '2023-08-01', withdrawalEffectiveOn: null }
  const received = [
    { kind: 'initial' as const, year: null },
    { kind: 'annual' as const, year: 2024 },
  ]
  t.same(
    reportsDue(nigeria, received, '2026-11-27')
      .filter((d) => d.status === 'overdue')
      .map((d) => [d.year, d.daysLate]),
    [
      [2023, 941],
      [2025, 211],
    ],
    'the updates on 2023 and 2025 are missing; the one on 2024 arrived',
  )
})

t.test('nothing falls due after a withdrawal takes effect', async (t) => {
  const lithuania = { entryIntoForceOn: '2011-09-01', withdrawalEffectiveOn: '2025-03-06' }
  const owed = obligationsUntil(lithuania, '2030-01-01')
  t.same(owed.at(-1), { kind: 'annual', year: 2023, dueOn: '2024-04-30' })
  t.equal(owed.length, 1 + 13, 'the initial report and the updates on 2011 to 2023')
  t.same(
    reportsDue(lithuania, [], '2026-11-27').filter((d) => d.status === 'due'),
    [],
  )
})
