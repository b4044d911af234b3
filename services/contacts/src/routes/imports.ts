import { Readable } from 'node:stream'
import type { HttpApp } from '@ccm/http'
import { problemSchema, writeContext } from '@ccm/http'
import { invalidInput } from '@ccm/http'
import { errors } from '../errors.ts'
import { idParam } from '../schemas/common.ts'
import { importQuery, importSchema, peopleCsv } from '../schemas/imports.ts'
import type { ImportResult } from '../services/imports.ts'

const tags = ['imports']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 413: problemSchema }

/** Characters of a report encoded at once: a 100,000-row report (10 MB) goes out a slice at a time. */
const slice = 256 * 1024

/**
 * The job as JSON, its report (up to one entry per row, from the import or as the database keeps it)
 * put in as text: serialising 100,000 entries at once would hold the event loop for long, and so would
 * encoding them in one piece, so a large report is streamed in slices (never splitting a surrogate pair).
 */
// Typed `never` so a handler can return it: the reply schema types an object, but Fastify sends a Buffer or a stream
// as it is, without the serializer.
function jobBody({ job, report }: ImportResult): never {
  const head = `${JSON.stringify(job).slice(0, -1)},"rows":`
  if (report === null || report.length <= slice) return Buffer.from(`${head}${report ?? 'null'}}`) as never
  return Readable.from(
    (function* () {
      yield Buffer.from(head)
      for (let start = 0; start < report.length;) {
        let end = Math.min(start + slice, report.length)
        if (end < report.length && /[\uD800-\uDBFF]/.test(report[end - 1]!)) end--
        yield Buffer.from(report.slice(start, end))
        start = end
      }
      yield Buffer.from('}')
    })(),
  ) as never
}

export default async function importsRoutes(app: HttpApp, options: { bodyLimit: number }) {
  const { importsService } = app.contacts

  // Only these routes take CSV, as a stream: the import reads it as it arrives, counting bytes and rows.
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload))
  const validate = app.validatorCompiler!

  app.post(
    '/v1/imports/people',
    {
      // Fastify applies a body limit to bodies it reads itself; this one the import reads, checking it as it goes.
      bodyLimit: options.bodyLimit,
      // The body schema documents the CSV; the stream itself is checked by the import as it reads.
      validatorCompiler: (route) =>
        route.httpPart === 'body' ? (body: unknown) => ({ value: body }) : validate(route),
      schema: {
        operationId: 'importPeople',
        tags,
        summary: 'Import people from CSV (matched by email: created or updated)',
        description: [
          'Send the file as a `text/csv` body. Every row is checked and matched by email first.',
          `A file over ${options.bodyLimit} bytes or over the row limit (CONTACTS_IMPORT_MAX_ROWS) is refused with 413`,
          'as soon as it is read that far, and nothing is written.',
          '`?dryRun=true` reports, row by row, what would be created, updated or rejected and why, and changes',
          'nothing. A real run is all-or-nothing: a file with any rejected row is answered 422 with the report and',
          'nothing is written; otherwise every row is written in one transaction, each with its audit row and event.',
          'Progress: by default the answer comes when the import is done. Send `Prefer: respond-async` to get 202',
          'at once with a Location; then poll `GET /v1/imports/{id}` (processedRows of totalRows) until status is no',
          'longer `queued` or `running`. An instance runs at most CONTACTS_IMPORT_CONCURRENCY imports at once (2);',
          'the next wait in order, `queued` with their `queuePosition`.',
        ].join(' '),
        consumes: ['text/csv'],
        querystring: importQuery,
        body: peopleCsv,
        response: { 200: importSchema, 202: importSchema, ...problems, 422: importSchema },
      },
    },
    async (request, reply) => {
      const declared = Number(request.headers['content-length'] ?? 0)
      if (declared > options.bodyLimit)
        throw Object.assign(new errors.ImportTooLarge(`body: is larger than ${options.bodyLimit} bytes`), {
          problem: { invalidParams: [{ name: 'body', reason: `is larger than ${options.bodyLimit} bytes` }] },
        })
      const respondAsync = /\brespond-async\b/i.test(String(request.headers.prefer ?? ''))
      const body = request.body as unknown
      if (typeof body !== 'string' && !(body instanceof Readable))
        throw invalidInput('body', 'must be CSV, sent as text/csv')
      const result = await importsService.start(
        body,
        { dryRun: request.query.dryRun, wait: !respondAsync, maxBytes: options.bodyLimit },
        writeContext(request),
      )
      reply.type('application/json; charset=utf-8')
      if (respondAsync)
        return reply
          .status(202)
          .header('location', `/v1/imports/${result.job.id}`)
          .header('preference-applied', 'respond-async')
          .send(jobBody(result))
      return reply.status(result.job.status === 'rejected' ? 422 : 200).send(jobBody(result))
    },
  )

  app.get(
    '/v1/imports/:id',
    {
      schema: {
        operationId: 'getImport',
        tags,
        summary: 'An import: its progress (or place in the queue) while it runs, its report once done',
        params: idParam,
        response: { 200: importSchema, ...problems },
      },
    },
    async (request, reply) => {
      const found = await importsService.get(request.params.id)
      if (!found) throw new errors.ImportNotFound(request.params.id)
      return reply.type('application/json; charset=utf-8').send(jobBody(found))
    },
  )
}
