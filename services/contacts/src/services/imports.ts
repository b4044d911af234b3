import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { parse } from 'csv-parse'
import { z } from 'zod'
import { awaitLater, changedFields, type DbClient } from '@ccm/db'
import type { EventData, EventType, Events, WriteBuffer } from '@ccm/events'
import { isUnstorableText, type WriteContext } from '@ccm/http'
import type { FastifyBaseLogger } from 'fastify'
import { invalidInput } from '@ccm/http'
import { errors } from '../errors.ts'
import {
  type BulkAffiliation,
  type BulkPerson,
  type ImportJob,
  type ImportRowReport,
  type ImportsRepository,
} from '../repositories/imports.ts'
import type { OrganizationsRepository } from '../repositories/organizations.ts'
import { languages } from '../schemas/common.ts'

export const importColumns = [
  'given_name',
  'family_name',
  'email',
  'organization',
  'role',
  'phone',
  'preferred_language',
  'tags',
] as const
const requiredColumns = ['given_name', 'family_name', 'email'] as const
/** Rows written per statement: building one statement of a chunk (its people, audit rows or events) takes a few ms. */
const chunkSize = 250
/** Rows handled between two turns of the event loop, and the largest piece of input parsed at once: a few ms each. */
const rowsPerTurn = 250
const bytesPerTurn = 8 * 1024
/** How often a running import records how far it got, for whoever polls it. */
const progressEveryMs = 1000

export interface ImportLimits {
  /** Rows a file may have; counted as it is read, so a larger one is refused without being read to its end. */
  maxRows: number
  /** Imports running at once on this instance; more wait their turn, in order. */
  concurrency: number
}

type CsvRow = Partial<Record<(typeof importColumns)[number], string>>

interface PlannedRow {
  report: ImportRowReport
  person?: BulkPerson
  email?: string
  organizationId?: string | null
  role?: string | null
}

/** The fields an import may change, as its audit rows record them. */
const changeable = ({ givenName, familyName, phones, preferredLanguage, tags }: BulkPerson) => ({
  givenName,
  familyName,
  phones,
  preferredLanguage,
  tags,
})

const email = z.string().email()
const phone = /^\+?[\d\s().-]{4,30}$/
const orNull = (s: string | undefined) => (s && s.trim() !== '' ? s.trim() : null)

const tooLarge = (reason: string) =>
  Object.assign(new errors.ImportTooLarge(`body: ${reason}`), {
    problem: { invalidParams: [{ name: 'body', reason }] },
  })

/** Whether a list of known names holds a name read from the file (any string). */
const isOneOf = (names: readonly string[], name: string) => names.includes(name)

/** The header, checked before any row is read: 400 naming the missing or unknown column. */
function checkHeader(header: string[]): string[] {
  const columns = header.map((h) => h.trim().toLowerCase())
  for (const column of requiredColumns) {
    if (!columns.includes(column))
      throw invalidInput(
        `body.${column}`,
        `column missing; the header must name ${requiredColumns.join(', ')} ` +
          `(and may add ${importColumns.filter((c) => !isOneOf(requiredColumns, c)).join(', ')})`,
      )
  }
  const unknown = columns.find((h) => !isOneOf(importColumns, h))
  if (unknown !== undefined)
    throw invalidInput(`body.${unknown || '(empty)'}`, `unknown column; known columns are ${importColumns.join(', ')}`)
  return columns
}

/**
 * The body a slice at a time, refused (413) once past `maxBytes`: a large read never holds the event
 * loop. A refused request is left open, not destroyed, so its answer still reaches the client.
 */
async function* slices(body: Readable, maxBytes: number) {
  let bytes = 0
  for await (const chunk of body.iterator({ destroyOnReturn: false })) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    bytes += buffer.length
    if (bytes > maxBytes) throw tooLarge(`is larger than ${maxBytes} bytes`)
    for (let start = 0; start < buffer.length; start += bytesPerTurn) {
      yield buffer.subarray(start, start + bytesPerTurn)
      await nextTurn()
    }
  }
}

/**
 * Reads the file as it arrives, refusing it whole (400 naming the column or line, 413 past the row or
 * byte cap) when it cannot be read as people. Nothing is written here.
 */
export async function readPeopleCsv(
  body: Readable | string,
  limits: { maxRows: number; maxBytes: number },
): Promise<CsvRow[]> {
  const rows: CsvRow[] = []
  const parser = parse({
    columns: checkHeader,
    bom: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: false,
  })
  try {
    await pipeline(
      slices(typeof body === 'string' ? Readable.from([body]) : body, limits.maxBytes),
      parser,
      async (records: AsyncIterable<CsvRow>) => {
        for await (const record of records) {
          if (rows.length === limits.maxRows)
            throw tooLarge(`has more than ${limits.maxRows} rows; split it into files of at most ${limits.maxRows}`)
          rows.push(record)
        }
      },
    )
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode) throw error
    throw invalidInput('body', `is not readable CSV: ${(error as Error).message}`)
  }
  if (rows.length === 0) throw invalidInput('body', 'has a header but no rows')
  return rows
}

/** The report as JSON arrays of a slice of rows each, stringified between turns of the event loop. */
async function reportSlices(reports: ImportRowReport[]): Promise<string[]> {
  const slices: string[] = []
  for (let start = 0; start < reports.length; start += rowsPerTurn * 5) {
    slices.push(JSON.stringify(reports.slice(start, start + rowsPerTurn * 5)))
    await nextTurn()
  }
  return slices
}

/** The slices as one JSON array, for the answer (which goes out a slice at a time too). */
const joined = (slices: string[]) => `[${slices.map((slice) => slice.slice(1, -1)).join(',')}]`

/** How many rows ended in each action, counted a slice at a time. */
async function tally(reports: ImportRowReport[]): Promise<Record<ImportRowReport['action'], number>> {
  const counts = { create: 0, update: 0, unchanged: 0, reject: 0 }
  for (let i = 0; i < reports.length; i++) {
    if (i % (rowsPerTurn * 20) === 0) await nextTurn()
    counts[reports[i]!.action]++
  }
  return counts
}

export function createImportsService(deps: {
  imports: ImportsRepository
  organizations: OrganizationsRepository
  events: Pick<Events, 'withWrites'>
  log: FastifyBaseLogger
  limits: ImportLimits
}) {
  const { imports, organizations, events, log, limits } = deps
  const running = new Set<Promise<unknown>>()
  let active = 0
  const waiting: { id: string; start: () => void }[] = []

  /** A place among the imports running: at once when one is free, else when this ticket's turn comes. */
  function enter(ticket: { id: string; start: () => void }): { queued: boolean; place: Promise<void> } {
    if (active < limits.concurrency) {
      active++
      return { queued: false, place: Promise.resolve() }
    }
    return { queued: true, place: new Promise<void>((start) => waiting.push(Object.assign(ticket, { start }))) }
  }
  /** Hands the place to the next import waiting, if any. */
  function leave(): void {
    const next = waiting.shift()
    if (next) next.start()
    else active--
  }
  const placeOf = (id: string) => waiting.findIndex((w) => w.id === id) + 1 || null

  /** Checks every row, matches it by email, and decides what it would do: nothing is written here. */
  async function plan(rows: CsvRow[]): Promise<PlannedRow[]> {
    const names = new Set<string>()
    const emails = new Set<string>()
    for (const [index, row] of rows.entries()) {
      if (index % (rowsPerTurn * 4) === 0) await nextTurn()
      const name = orNull(row.organization)
      if (name) names.add(name)
      const address = row.email?.trim().toLowerCase()
      if (address) emails.add(address)
    }
    const orgIds = await organizations.idsByNames([...names])
    const existing = await imports.peopleByEmail([...emails])
    const seen = new Map<string, number>()
    const planned: PlannedRow[] = []
    for (const [index, row] of rows.entries()) {
      if (index % rowsPerTurn === 0) await nextTurn()
      planned.push(planRow(row, index + 1))
    }
    return planned

    function planRow(row: CsvRow, number: number): PlannedRow {
      const reasons: { column: string; reason: string }[] = []
      // The same rule as every JSON body: Postgres cannot store U+0000.
      const unstorable = Object.entries(row).find(([, value]) => value && isUnstorableText(value))
      if (unstorable)
        return {
          report: {
            row: number,
            action: 'reject',
            email: orNull(row.email),
            personId: null,
            reasons: [{ column: unstorable[0], reason: 'must not contain U+0000' }],
          },
        }
      const givenName = orNull(row.given_name)
      const familyName = orNull(row.family_name)
      const address = orNull(row.email)
      if (!givenName) reasons.push({ column: 'given_name', reason: 'is required' })
      else if (givenName.length > 200) reasons.push({ column: 'given_name', reason: 'is longer than 200 characters' })
      if (!familyName) reasons.push({ column: 'family_name', reason: 'is required' })
      else if (familyName.length > 200) reasons.push({ column: 'family_name', reason: 'is longer than 200 characters' })
      if (!address) reasons.push({ column: 'email', reason: 'is required: rows are matched to people by it' })
      else if (!email.safeParse(address).success)
        reasons.push({ column: 'email', reason: `${address} is not an email address` })
      else if (seen.has(address.toLowerCase()))
        reasons.push({ column: 'email', reason: `repeats row ${seen.get(address.toLowerCase())}` })
      else seen.set(address.toLowerCase(), number)
      const organization = orNull(row.organization)
      const organizationId = organization ? (orgIds.get(organization) ?? null) : null
      if (organization && !organizationId)
        reasons.push({ column: 'organization', reason: `no organisation named ${organization}` })
      const role = orNull(row.role)
      if (role && !organization) reasons.push({ column: 'role', reason: 'needs an organization' })
      const phoneNumber = orNull(row.phone)
      if (phoneNumber && !phone.test(phoneNumber))
        reasons.push({ column: 'phone', reason: `${phoneNumber} is not a phone number` })
      const language = orNull(row.preferred_language)?.toLowerCase() ?? null
      if (language && !isOneOf(languages, language))
        reasons.push({ column: 'preferred_language', reason: `must be one of ${languages.join(', ')}` })
      const tags = (row.tags ?? '')
        .split(/[;|]/)
        .map((t) => t.trim())
        .filter(Boolean)

      if (reasons.length) return { report: { row: number, action: 'reject', email: address, personId: null, reasons } }
      const personId = existing.get(address!.toLowerCase())
      return {
        report: {
          row: number,
          action: personId ? 'update' : 'create',
          email: address,
          personId: personId ?? randomUUID(),
        },
        person: {
          id: personId ?? '',
          givenName: givenName!,
          familyName: familyName!,
          phones: phoneNumber ? [phoneNumber] : [],
          preferredLanguage: language,
          tags,
        },
        email: address!,
        organizationId,
        role,
      }
    }
  }

  /**
   * Sends the writes of a chunk of planned rows in the import's transaction: people, emails, roles, audit rows and
   * events. Resolves once they are sent (after reading what updates change), with their outcome to await later.
   */
  async function sendChunk(
    chunk: PlannedRow[],
    client: DbClient,
    writes: WriteBuffer,
    ctx: WriteContext,
  ): Promise<{ written: Promise<unknown> }> {
    const creates = chunk.filter((p) => p.report.action === 'create')
    const updates = chunk.filter((p) => p.report.action === 'update')
    const affiliations: BulkAffiliation[] = []
    const event = <T extends EventType>(type: T, subject: string, data: EventData<T>) =>
      writes.event({ type, subject, data, actor: ctx.actor, correlationId: ctx.correlationId })
    const audit = (
      entityId: string,
      action: string,
      before: Record<string, unknown> | null,
      after: Record<string, unknown>,
    ) =>
      writes.audit({
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        entityType: 'person',
        entityId,
        action,
        before,
        after,
      })

    const newPeople = creates.map((p) => ({ ...p.person!, id: p.report.personId! }))
    for (const p of creates) {
      const id = p.report.personId!
      if (p.organizationId)
        affiliations.push({ personId: id, organizationId: p.organizationId, role: p.role ?? null, isPrimary: true })
      const { givenName, familyName, phones, preferredLanguage, tags } = p.person!
      audit(id, 'import.create', null, { givenName, familyName, emails: [p.email], phones, preferredLanguage, tags })
      event('contacts.person.created', id, { id, organizationIds: p.organizationId ? [p.organizationId] : [] })
    }

    const current = updates.length
      ? await imports.currentForUpdate(
          updates.map((p) => p.report.personId!),
          client,
        )
      : new Map()
    const changedPeople: BulkPerson[] = []
    for (const p of updates) {
      const id = p.report.personId!
      const was = current.get(id)!
      const next: BulkPerson = {
        id,
        givenName: p.person!.givenName,
        familyName: p.person!.familyName,
        phones: [...new Set([...was.phones, ...p.person!.phones])],
        preferredLanguage: p.person!.preferredLanguage ?? was.preferredLanguage,
        tags: [...new Set([...was.tags, ...p.person!.tags])],
      }
      const before = changeable(was)
      const after = changeable(next)
      const fields = changedFields(before, after)
      const newRole = p.organizationId && !was.roles.includes(`${p.organizationId}:${p.role ?? ''}`)
      if (newRole) {
        affiliations.push({
          personId: id,
          organizationId: p.organizationId!,
          role: p.role ?? null,
          isPrimary: !was.hasPrimary,
        })
        fields.push('affiliations')
      }
      p.report.changedFields = fields
      if (fields.length === 0) {
        p.report.action = 'unchanged'
        continue
      }
      changedPeople.push(next)
      const pick = (o: Record<string, unknown>) =>
        Object.fromEntries(fields.filter((f) => f in o).map((f) => [f, o[f]]))
      audit(id, 'import.update', pick(before), pick(after))
      event('contacts.person.updated', id, { id, changedFields: fields })
    }

    // Sent in this order without waiting (the connection is pipelined); the database runs them in turn. Each
    // statement is built (phone keys, audit rows, checked events) in a turn of the event loop of its own.
    const sent: Promise<unknown>[] = []
    await nextTurn()
    if (newPeople.length) {
      sent.push(imports.insertPeople(newPeople, ctx.actor, client))
      sent.push(
        imports.insertEmails(
          creates.map((p) => ({ personId: p.report.personId!, email: p.email! })),
          client,
        ),
      )
    }
    if (changedPeople.length) sent.push(imports.updatePeople(changedPeople, ctx.actor, client))
    if (affiliations.length) sent.push(imports.insertAffiliations(affiliations, ctx.actor, client))
    // Stored as the chunk ends: a large file's audit rows and events never sit in memory all at once.
    await nextTurn()
    sent.push(writes.storeNow(client))
    // The first to fail is the cause; those behind it only found the transaction aborted.
    return { written: awaitLater(Promise.all(sent)) }
  }

  async function run(job: ImportJob, rows: CsvRow[], ctx: WriteContext): Promise<ImportResult> {
    const started = Date.now()
    const planned = await plan(rows)
    const reports = planned.map((p) => p.report)
    const { reject: rejected } = await tally(reports)
    const finish = async (status: 'succeeded' | 'rejected') => {
      const counts = await tally(reports)
      const report = await reportSlices(reports)
      return {
        job: await imports.finish(job.id, { status, created: counts.create, updated: counts.update, rejected, report }),
        report: joined(report),
      }
    }

    if (job.dryRun) {
      for (const p of reports) if (p.action === 'create') p.personId = null
      return finish('succeeded')
    }
    // All or nothing: one bad row and the file is sent back, with every reason, before anything is written.
    if (rejected > 0) return finish('rejected')

    await events.withWrites(async ({ client, writes }) => {
      let reported = Date.now()
      // Once a second, and at the end: each report is a commit of its own, which waits for the disk.
      const reportProgress = async (done: number) => {
        if (done < planned.length && Date.now() - reported < progressEveryMs) return
        reported = Date.now()
        await imports.progress(job.id, done)
        log.info({ importId: job.id, processedRows: done, totalRows: planned.length }, 'people import progress')
      }
      // Two chunks in flight: the next is built while the database writes the one before.
      let previous: Promise<unknown> = Promise.resolve()
      for (let start = 0; start < planned.length; start += chunkSize) {
        const { written } = await sendChunk(planned.slice(start, start + chunkSize), client, writes, ctx).catch(
          async (error) => {
            await previous // a failure there is the cause of this one (the transaction was aborted)
            throw error
          },
        )
        await previous
        previous = written
        await reportProgress(start) // the rows before this chunk are written
      }
      await previous
      await reportProgress(planned.length)
      const counts = await tally(reports)
      writes.audit({
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        entityType: 'import',
        entityId: job.id,
        action: 'people',
        after: { rows: planned.length, created: counts.create, updated: counts.update, unchanged: counts.unchanged },
      })
    })
    log.info({ importId: job.id, rows: planned.length, ms: Date.now() - started }, 'people import committed')
    return finish('succeeded')
  }

  return {
    /**
     * Reads the file, then starts the import, or queues it when `limits.concurrency` imports run already;
     * `wait` resolves with the finished job, otherwise the job (running or queued) is answered and polled.
     * A failure after the start is recorded on the job (status failed) rather than lost.
     */
    async start(
      body: Readable | string,
      options: { dryRun: boolean; wait: boolean; maxBytes: number },
      ctx: WriteContext,
    ): Promise<ImportResult> {
      const rows = await readPeopleCsv(body, { maxRows: limits.maxRows, maxBytes: options.maxBytes })
      const ticket = { id: '', start: () => {} }
      const { queued, place } = enter(ticket)
      const job = await imports
        .start(options.dryRun, rows.length, queued ? 'queued' : 'running', ctx.actor)
        .catch((error) => {
          place.then(leave)
          throw error
        })
      ticket.id = job.id
      const work = (async () => {
        try {
          await place
          if (queued) await imports.running(job.id)
          return await run(job, rows, ctx)
        } finally {
          leave()
        }
      })().catch(async (error) => {
        log.error({ err: error, importId: job.id }, 'people import failed')
        await imports
          .finish(job.id, { status: 'failed', created: 0, updated: 0, rejected: 0, report: [] })
          .catch(() => {})
        throw error
      })
      if (options.wait) return work
      const tracked = work.catch(() => {}).finally(() => running.delete(tracked))
      running.add(tracked)
      return { job: { ...job, queuePosition: placeOf(job.id) }, report: null }
    },

    /** The job, with its place in this instance's queue while it waits. */
    async get(id: string): Promise<ImportResult | null> {
      const found = await imports.get(id)
      return (
        found && {
          job: { ...found.job, queuePosition: found.job.status === 'queued' ? placeOf(id) : null },
          report: found.report,
        }
      )
    },

    /** Lets imports still running or queued finish before the database closes. */
    async drain(): Promise<void> {
      await Promise.all(running)
    },
  }
}

/** A job and its report as JSON text (null while it runs). */
export interface ImportResult {
  job: ImportJob
  report: string | null
}

export type ImportsService = ReturnType<typeof createImportsService>
