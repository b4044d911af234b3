import { fileURLToPath } from 'node:url'
import type { MigrationSet } from './migrate.ts'

export const auditMigrations: MigrationSet = {
  name: 'audit',
  directory: fileURLToPath(new URL('../migrations/audit', import.meta.url)),
}

/** A snapshot of an entity's fields: any object, so that an interface (which has no index signature) will do. */
type Snapshot = object | null | undefined

export interface AuditEntry {
  actor: string
  entityType: string
  entityId: string
  action: string
  before?: Snapshot
  after?: Snapshot
  correlationId?: string
}

/** A snapshot's own fields by name (none for a missing snapshot). */
const fieldsOf = (snapshot: Snapshot): Record<string, unknown> => ({ ...snapshot })

/** The names of the fields whose values differ between two snapshots of an entity. */
export function changedFields(before: Snapshot, after: Snapshot): string[] {
  const [was, is] = [fieldsOf(before), fieldsOf(after)]
  const keys = new Set([...Object.keys(was), ...Object.keys(is)])
  return [...keys].filter((key) => JSON.stringify(was[key]) !== JSON.stringify(is[key])).sort()
}

/**
 * The rows of `entries`, as the one JSON parameter `insertAuditRows` reads. Only changed fields are kept, before and
 * after.
 */
export function auditRecordset(entries: AuditEntry[]): string {
  return JSON.stringify(
    entries.map((entry) => {
      const fields = changedFields(entry.before, entry.after)
      const pick = (snapshot: Snapshot) => {
        const values = fieldsOf(snapshot)
        return snapshot ? Object.fromEntries(fields.map((f) => [f, values[f] ?? null])) : null
      }
      return {
        actor: entry.actor,
        entity_type: entry.entityType,
        entity_id: entry.entityId,
        action: entry.action,
        changed_fields: fields,
        before: pick(entry.before),
        after: pick(entry.after),
        correlation_id: entry.correlationId ?? null,
      }
    }),
  )
}

/**
 * The statement storing an `auditRecordset` given as `param`: one however many entries (a bulk import audits thousands
 * at once).
 */
export const insertAuditRows = (param: string) =>
  `INSERT INTO audit_log (actor, entity_type, entity_id, action, changed_fields, before, after, correlation_id)
   SELECT actor, entity_type, entity_id, action, changed_fields, before, after, correlation_id
     FROM jsonb_to_recordset(${param}::jsonb)
       AS r(actor text, entity_type text, entity_id text, action text, changed_fields text[], before jsonb, after jsonb,
            correlation_id text)`

/** The statement appending `entries` to the audit log, or null if there are none. */
export function auditStatement(entries: AuditEntry[]): { text: string; values: unknown[] } | null {
  return entries.length === 0 ? null : { text: insertAuditRows('$1'), values: [auditRecordset(entries)] }
}
