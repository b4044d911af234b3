import { randomUUID } from 'node:crypto'
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import { changedFields, recordAudit, withTransaction, type Db, type DbClient } from '@ccm/db'
import { WriteBuffer, type EventData, type EventType } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import type { FastifyBaseLogger } from 'fastify'
import { invalidInput } from '../errors.ts'
import { type BulkPerson, type ImportJob, type ImportRowReport, type ImportsRepository } from '../repositories/imports.ts'
import type { OrganizationsRepository } from '../repositories/organizations.ts'
import { languages } from '../schemas/common.ts'

export const importColumns = ['given_name', 'family_name', 'email', 'organization', 'role', 'phone', 'preferred_language', 'tags'] as const
const requiredColumns = ['given_name', 'family_name', 'email'] as const
export const maxImportRows = 200_000
const chunkSize = 2_000

type CsvRow = Partial<Record<(typeof importColumns)[number], string>>

interface PlannedRow {
  report: ImportRowReport
  person?: BulkPerson
  email?: string
  organizationId?: string | null
  role?: string | null
}

const email = z.string().email()
const phone = /^\+?[\d\s().-]{4,30}$/
const orNull = (s: string | undefined) => (s && s.trim() !== '' ? s.trim() : null)

/** Parses the file, refusing it whole (400 naming the column or line) when it cannot be read as people. */
export function parsePeopleCsv(text: string): CsvRow[] {
  let rows: CsvRow[]
  try {
    rows = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true, relax_column_count: false })
  } catch (error) {
    throw invalidInput('body', `is not readable CSV: ${(error as Error).message}`)
  }
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!.split(',').map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase())
  for (const column of requiredColumns) {
    if (!header.includes(column)) throw invalidInput(`body.${column}`, `column missing; the header must name ${requiredColumns.join(', ')} (and may add ${importColumns.filter((c) => !requiredColumns.includes(c as never)).join(', ')})`)
  }
  const unknown = header.find((h) => !importColumns.includes(h as never))
  if (unknown !== undefined) throw invalidInput(`body.${unknown || '(empty)'}`, `unknown column; known columns are ${importColumns.join(', ')}`)
  if (rows.length === 0) throw invalidInput('body', 'has a header but no rows')
  if (rows.length > maxImportRows) throw invalidInput('body', `has ${rows.length} rows; at most ${maxImportRows} a file`)
  return rows
}

export function createImportsService(deps: { db: Db; imports: ImportsRepository; organizations: OrganizationsRepository; log: FastifyBaseLogger }) {
  const { db, imports, organizations, log } = deps
  const running = new Set<Promise<unknown>>()

  /** Checks every row, matches it by email, and decides what it would do: nothing is written here. */
  async function plan(rows: CsvRow[]): Promise<PlannedRow[]> {
    const orgIds = await organizations.idsByNames([...new Set(rows.map((r) => orNull(r.organization)).filter((n): n is string => !!n))])
    const emails = [...new Set(rows.map((r) => r.email?.trim().toLowerCase()).filter((e): e is string => !!e))]
    const existing = await imports.peopleByEmail(emails)
    const seen = new Map<string, number>()
    return rows.map((row, index) => {
      const number = index + 1
      const reasons: { column: string; reason: string }[] = []
      const givenName = orNull(row.given_name)
      const familyName = orNull(row.family_name)
      const address = orNull(row.email)
      if (!givenName) reasons.push({ column: 'given_name', reason: 'is required' })
      else if (givenName.length > 200) reasons.push({ column: 'given_name', reason: 'is longer than 200 characters' })
      if (!familyName) reasons.push({ column: 'family_name', reason: 'is required' })
      else if (familyName.length > 200) reasons.push({ column: 'family_name', reason: 'is longer than 200 characters' })
      if (!address) reasons.push({ column: 'email', reason: 'is required: rows are matched to people by it' })
      else if (!email.safeParse(address).success) reasons.push({ column: 'email', reason: `${address} is not an email address` })
      else if (seen.has(address.toLowerCase())) reasons.push({ column: 'email', reason: `repeats row ${seen.get(address.toLowerCase())}` })
      else seen.set(address.toLowerCase(), number)
      const organization = orNull(row.organization)
      const organizationId = organization ? orgIds.get(organization) ?? null : null
      if (organization && !organizationId) reasons.push({ column: 'organization', reason: `no organisation named ${organization}` })
      const role = orNull(row.role)
      if (role && !organization) reasons.push({ column: 'role', reason: 'needs an organization' })
      const phoneNumber = orNull(row.phone)
      if (phoneNumber && !phone.test(phoneNumber)) reasons.push({ column: 'phone', reason: `${phoneNumber} is not a phone number` })
      const language = orNull(row.preferred_language)?.toLowerCase() ?? null
      if (language && !languages.includes(language as never)) reasons.push({ column: 'preferred_language', reason: `must be one of ${languages.join(', ')}` })
      const tags = (row.tags ?? '').split(/[;|]/).map((t) => t.trim()).filter(Boolean)

      if (reasons.length) return { report: { row: number, action: 'reject', email: address, personId: null, reasons } }
      const personId = existing.get(address!.toLowerCase())
      return {
        report: { row: number, action: personId ? 'update' : 'create', email: address, personId: personId ?? randomUUID() },
        person: { id: personId ?? '', given_name: givenName!, family_name: familyName!, phones: phoneNumber ? [phoneNumber] : [], preferred_language: language, tags },
        email: address!,
        organizationId,
        role,
      }
    })
  }

  /** Writes a chunk of planned rows in the import's transaction: people, emails, roles, audit rows and events. */
  async function writeChunk(chunk: PlannedRow[], client: DbClient, ctx: WriteContext) {
    const creates = chunk.filter((p) => p.report.action === 'create')
    const updates = chunk.filter((p) => p.report.action === 'update')
    // A buffer per chunk, stored as the chunk ends: a large file's audit rows and events never sit in memory all at once.
    const writes = new WriteBuffer('/ccm/contacts')
    const affiliations: { person_id: string; organization_id: string; role: string | null; is_primary: boolean }[] = []
    const event = <T extends EventType>(type: T, subject: string, data: EventData<T>) =>
      writes.event({ type, subject, data, actor: ctx.actor, correlationId: ctx.correlationId })
    const audit = (entityId: string, action: string, before: Record<string, unknown> | null, after: Record<string, unknown>) =>
      writes.audit({ actor: ctx.actor, correlationId: ctx.correlationId, entityType: 'person', entityId, action, before, after })

    const newPeople = creates.map((p) => ({ ...p.person!, id: p.report.personId! }))
    for (const p of creates) {
      const id = p.report.personId!
      if (p.organizationId) affiliations.push({ person_id: id, organization_id: p.organizationId, role: p.role ?? null, is_primary: true })
      const after = { givenName: p.person!.given_name, familyName: p.person!.family_name, emails: [p.email], phones: p.person!.phones, preferredLanguage: p.person!.preferred_language, tags: p.person!.tags }
      audit(id, 'import.create', null, after)
      event('contacts.person.created', id, { id, organizationIds: p.organizationId ? [p.organizationId] : [] })
    }

    const current = updates.length ? await imports.currentForUpdate(updates.map((p) => p.report.personId!), client) : new Map()
    const changedPeople: BulkPerson[] = []
    for (const p of updates) {
      const id = p.report.personId!
      const was = current.get(id)!
      const next: BulkPerson = {
        id,
        given_name: p.person!.given_name,
        family_name: p.person!.family_name,
        phones: [...new Set([...was.phones, ...p.person!.phones])],
        preferred_language: p.person!.preferred_language ?? was.preferred_language,
        tags: [...new Set([...was.tags, ...p.person!.tags])],
      }
      const before = { givenName: was.given_name, familyName: was.family_name, phones: was.phones, preferredLanguage: was.preferred_language, tags: was.tags }
      const after = { givenName: next.given_name, familyName: next.family_name, phones: next.phones, preferredLanguage: next.preferred_language, tags: next.tags }
      const fields = changedFields(before, after)
      const newRole = p.organizationId && !was.roles.includes(`${p.organizationId}:${p.role ?? ''}`)
      if (newRole) {
        affiliations.push({ person_id: id, organization_id: p.organizationId!, role: p.role ?? null, is_primary: !was.has_primary })
        fields.push('affiliations')
      }
      p.report.changedFields = fields
      if (fields.length === 0) {
        p.report.action = 'unchanged'
        continue
      }
      changedPeople.push(next)
      const pick = (o: Record<string, unknown>) => Object.fromEntries(fields.filter((f) => f in o).map((f) => [f, o[f]]))
      audit(id, 'import.update', pick(before), pick(after))
      event('contacts.person.updated', id, { id, changedFields: fields })
    }

    if (newPeople.length) {
      await imports.insertPeople(newPeople, ctx.actor, client)
      await imports.insertEmails(creates.map((p) => ({ person_id: p.report.personId!, email: p.email! })), client)
    }
    if (changedPeople.length) await imports.updatePeople(changedPeople, ctx.actor, client)
    if (affiliations.length) await imports.insertAffiliations(affiliations, ctx.actor, client)
    const stored = writes.statement()
    if (stored) await client.query(stored)
  }

  async function run(job: ImportJob, rows: CsvRow[], ctx: WriteContext): Promise<ImportJob> {
    const started = Date.now()
    const planned = await plan(rows)
    const reports = planned.map((p) => p.report)
    const rejected = reports.filter((r) => r.action === 'reject').length
    const count = (action: string) => reports.filter((r) => r.action === action).length
    const finish = (status: 'succeeded' | 'rejected') =>
      imports.finish(job.id, { status, created: count('create'), updated: count('update'), rejected, rows: reports })

    if (job.dryRun) {
      for (const p of reports) if (p.action === 'create') p.personId = null
      return finish('succeeded')
    }
    // All or nothing: one bad row and the file is sent back, with every reason, before anything is written.
    if (rejected > 0) return finish('rejected')

    await withTransaction(db, async (client) => {
      for (let start = 0; start < planned.length; start += chunkSize) {
        await writeChunk(planned.slice(start, start + chunkSize), client, ctx)
        const done = Math.min(start + chunkSize, planned.length)
        await imports.progress(job.id, done)
        log.info({ importId: job.id, processedRows: done, totalRows: planned.length }, 'people import progress')
      }
      await recordAudit(client, {
        actor: ctx.actor, correlationId: ctx.correlationId, entityType: 'import', entityId: job.id, action: 'people',
        after: { rows: planned.length, created: count('create'), updated: count('update'), unchanged: count('unchanged') },
      })
    })
    log.info({ importId: job.id, rows: planned.length, ms: Date.now() - started }, 'people import committed')
    return finish('succeeded')
  }

  return {
    /**
     * Starts an import; `wait` resolves with the finished job, otherwise the job runs on and is polled.
     * A failure after the start is recorded on the job (status failed) rather than lost.
     */
    async start(text: string, options: { dryRun: boolean; wait: boolean }, ctx: WriteContext): Promise<ImportJob> {
      const rows = parsePeopleCsv(text)
      const job = await imports.start(options.dryRun, rows.length, ctx.actor)
      const work = run(job, rows, ctx).catch(async (error) => {
        log.error({ err: error, importId: job.id }, 'people import failed')
        await imports.finish(job.id, { status: 'failed', created: 0, updated: 0, rejected: 0, rows: [] }).catch(() => {})
        throw error
      })
      if (options.wait) return work
      const tracked = work.catch(() => {}).finally(() => running.delete(tracked))
      running.add(tracked)
      return job
    },

    /** Lets imports still running finish before the database closes. */
    async drain(): Promise<void> {
      await Promise.all(running)
    },
  }
}

export type ImportsService = ReturnType<typeof createImportsService>
