import { Readable } from 'node:stream'
import { stringify } from 'csv-stringify'
import type { HttpApp } from '@ccm/http'
import { problemSchema } from '@ccm/http'
import { z } from 'zod'
import { organizationFilter } from '../schemas/organizations.ts'
import { personFilter } from '../schemas/people.ts'

const tags = ['exports']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema }
const csvBody = (example: string) => z.string().meta({ description: 'text/csv, streamed', example })

const peopleColumns = [
  'id',
  'honorific',
  'given_name',
  'family_name',
  'job_title',
  'email',
  'other_emails',
  'phones',
  'preferred_language',
  'languages',
  'tags',
  'organization',
  'role',
  'do_not_contact',
]
const organizationColumns = ['id', 'type', 'name', 'short_name', 'country', 'website', 'tags', 'archived']

/**
 * Rows are read a batch at a time and streamed, so a large export never sits in memory whole. A cell
 * starting with =, +, -, @, tab or CR gets a leading ' so a spreadsheet shows it instead of running it
 * (OWASP "CSV injection"); a phone number reads '+41 22 … in the file for that reason.
 */
function csvStream(columns: string[], rows: AsyncIterable<unknown[]>): string {
  // Fastify sends a stream as it is, skipping the serializer; the type says string, as the document does.
  return Readable.from(rows).pipe(stringify({ header: true, columns, escape_formulas: true })) as unknown as string
}

export default async function exportsRoutes(app: HttpApp) {
  const { people, organizations } = app.contacts

  app.get(
    '/v1/exports/people.csv',
    {
      schema: {
        operationId: 'exportPeople',
        tags,
        summary: 'People as CSV, with the same filters as GET /v1/people',
        produces: ['text/csv'],
        querystring: personFilter,
        response: {
          200: csvBody('id,honorific,given_name,family_name,...\n6c0e3c4e-...,H.E. Ms,Wanjiru,Müller-Odhiambo,...'),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      async function* rows() {
        for await (const p of people.stream(request.query)) {
          const role = p.affiliations.find((a) => a.current && a.primary) ?? p.affiliations.find((a) => a.current)
          yield [
            p.id,
            p.honorific,
            p.givenName,
            p.familyName,
            p.jobTitle,
            p.emails[0] ?? '',
            p.emails.slice(1).join(';'),
            p.phones.join(';'),
            p.preferredLanguage,
            p.languages.join(';'),
            p.tags.join(';'),
            role?.organizationName ?? '',
            role?.role ?? '',
            p.doNotContact,
          ]
        }
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="people.csv"')
        .send(csvStream(peopleColumns, rows()))
    },
  )

  app.get(
    '/v1/exports/organizations.csv',
    {
      schema: {
        operationId: 'exportOrganizations',
        tags,
        summary: 'Organisations as CSV, with the same filters as GET /v1/organizations',
        produces: ['text/csv'],
        querystring: organizationFilter,
        response: {
          200: csvBody(
            'id,type,name,short_name,country,website,tags,archived\n0b8f6f0e-...,permanent_mission,Permanent Mission ' +
              'of Kenya...,PM Kenya,KEN,,,false',
          ),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      async function* rows() {
        for await (const o of organizations.stream(request.query)) {
          yield [o.id, o.type, o.name, o.shortName, o.country, o.website, o.tags.join(';'), o.archived]
        }
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="organizations.csv"')
        .send(csvStream(organizationColumns, rows()))
    },
  )
}
