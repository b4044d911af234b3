import { z } from 'zod'
import { booleanQuery } from './common.ts'

export const importQuery = z.object({
  dryRun: booleanQuery.default(false).describe('report what would happen, row by row, and change nothing'),
})

const rowReportSchema = z.object({
  row: z.number().int().describe('1 is the first line after the header'),
  action: z.enum(['create', 'update', 'unchanged', 'reject']),
  email: z.string().nullable(),
  personId: z.string().uuid().nullable().describe('the person updated, or created (not on a dry run)'),
  changedFields: z.array(z.string()).optional(),
  reasons: z.array(z.object({ column: z.string(), reason: z.string() })).optional(),
})

export const importSchema = z
  .object({
    id: z.string().uuid(),
    dryRun: z.boolean(),
    status: z
      .enum(['queued', 'running', 'succeeded', 'rejected', 'failed'])
      .describe(
        'queued: waiting for one of the imports running to finish; rejected: the file had bad rows and nothing was ' +
          'written',
      ),
    queuePosition: z.number().int().nullable().describe('while queued: 1 when it starts next'),
    totalRows: z.number().int(),
    processedRows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    rejected: z.number().int(),
    rows: z.array(rowReportSchema).nullable().describe('the report, once finished'),
    startedBy: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({
    id: 'PeopleImport',
    example: {
      id: '5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c',
      dryRun: true,
      status: 'succeeded',
      queuePosition: null,
      totalRows: 2,
      processedRows: 2,
      created: 1,
      updated: 0,
      rejected: 1,
      rows: [
        { row: 1, action: 'create', email: 'a.traore@mae.gov.ml', personId: null },
        {
          row: 2,
          action: 'reject',
          email: 'not-an-address',
          personId: null,
          reasons: [{ column: 'email', reason: 'not-an-address is not an email address' }],
        },
      ],
      startedBy: 'marie.dupont',
      startedAt: '2026-03-02T10:00:00.000Z',
      finishedAt: '2026-03-02T10:00:01.000Z',
    },
  })

export const peopleCsv = z
  .string()
  .min(1)
  .meta({
    id: 'PeopleCsv',
    description:
      'CSV with a header line: given_name, family_name, email (required), organization, role, phone, ' +
      'preferred_language, tags (separated by ;)',
    example:
      'given_name,family_name,email,organization,role,phone,preferred_language,tags\n' +
      'Aminata,Traoré,a.traore@mae.gov.ml,Permanent Mission of Mali,Counsellor,+41 22 710 09 60,fr,msp-14;africa',
  })
