import { z } from 'zod'
import { iso3, isoDate } from '@ccm/http'

const reportKinds = ['initial', 'annual'] as const

export const reportInput = z
  .object({
    iso3,
    kind: z.enum(reportKinds),
    year: z.number().int().min(2010).max(2100).optional().describe('for an annual report: the calendar year it covers'),
    receivedOn: isoDate,
  })
  .strict()
  .meta({ id: 'NewReport', example: { iso3: 'VUT', kind: 'annual', year: 2026, receivedOn: '2027-04-12' } })

export const reportSchema = z
  .object({
    id: z.string().uuid(),
    iso3: z.string(),
    kind: z.enum(reportKinds),
    year: z.number().int().nullable(),
    receivedOn: z.string(),
    recordedBy: z.string(),
    recordedAt: z.string(),
  })
  .meta({
    id: 'Report',
    example: {
      id: '9a7b6c5d-4e3f-4a1b-8c2d-0e1f2a3b4c5d',
      iso3: 'VUT',
      kind: 'initial',
      year: null,
      receivedOn: '2026-08-20',
      recordedBy: 'marie.dupont',
      recordedAt: '2026-08-21T07:45:00.000Z',
    },
  })

export const dueReportSchema = z
  .object({
    iso3: z.string(),
    name: z.string(),
    kind: z.enum(reportKinds),
    year: z.number().int().nullable().describe('the calendar year an annual report covers'),
    dueOn: z.string(),
    status: z.enum(['due', 'overdue']),
    daysLate: z.number().int(),
  })
  .meta({
    id: 'DueReport',
    example: {
      iso3: 'VUT',
      name: 'Vanuatu',
      kind: 'initial',
      year: null,
      dueOn: '2026-08-28',
      status: 'overdue',
      daysLate: 91,
    },
  })

export const dueReportsQuery = z.object({
  as_of: isoDate.optional().describe('the reference date; today unless given'),
  iso3: iso3.optional(),
  status: z.enum(['due', 'overdue']).optional(),
})
