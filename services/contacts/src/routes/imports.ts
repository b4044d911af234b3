import type { HttpApp } from '@ccm/http'
import { problemSchema, writeContext } from '@ccm/http'
import { errors } from '../errors.ts'
import { idParam } from '../schemas/common.ts'
import { importQuery, importSchema, peopleCsv } from '../schemas/imports.ts'

const tags = ['imports']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }

export default async function importsRoutes(app: HttpApp) {
  const { imports, importsService } = app.contacts

  // Only these routes take CSV bodies; 50 MB holds well over 100,000 rows.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 50 * 1024 * 1024 }, (_request, body, done) => done(null, body))

  app.post('/v1/imports/people', {
    schema: {
      operationId: 'importPeople',
      tags,
      summary: 'Import people from CSV (matched by email: created or updated)',
      description: [
        'Send the file as a `text/csv` body. Every row is checked and matched by email first.',
        '`?dryRun=true` reports, row by row, what would be created, updated or rejected and why, and changes nothing.',
        'A real run is all-or-nothing: a file with any rejected row is answered 422 with the report and nothing is written;',
        'otherwise every row is written in one transaction, each with its audit row and event.',
        'Progress: by default the answer comes when the import is done. Send `Prefer: respond-async` to get 202 at once with',
        'a Location; then poll `GET /v1/imports/{id}` (processedRows of totalRows) until status is no longer `running`.',
      ].join(' '),
      consumes: ['text/csv'],
      querystring: importQuery,
      body: peopleCsv,
      response: { 200: importSchema, 202: importSchema, ...problems, 422: importSchema },
    },
  }, async (request, reply) => {
    const respondAsync = /\brespond-async\b/i.test(String(request.headers.prefer ?? ''))
    const job = await importsService.start(request.body, { dryRun: request.query.dryRun, wait: !respondAsync }, writeContext(request))
    if (respondAsync) return reply.status(202).header('location', `/v1/imports/${job.id}`).header('preference-applied', 'respond-async').send(job)
    return reply.status(job.status === 'rejected' ? 422 : 200).send(job)
  })

  app.get('/v1/imports/:id', {
    schema: { operationId: 'getImport', tags, summary: 'An import: its progress while it runs, its report once done', params: idParam, response: { 200: importSchema, ...problems } },
  }, async (request) => {
    const job = await imports.get(request.params.id)
    if (!job) throw new errors.ImportNotFound(request.params.id)
    return job
  })
}
