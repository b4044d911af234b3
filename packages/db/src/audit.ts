import { fileURLToPath } from 'node:url'
import type { MigrationSet } from './migrate.ts'
import type { Queryable } from './pool.ts'

export const auditMigrations: MigrationSet = {
  name: 'audit',
  directory: fileURLToPath(new URL('../migrations/audit', import.meta.url)),
}

export interface AuditEntry {
  actor: string
  entityType: string
  entityId: string
  action: string
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
  correlationId?: string
}

/** The names of the fields whose values differ between two snapshots of an entity. */
export function changedFields(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])
  return [...keys].filter((key) => JSON.stringify(before?.[key]) !== JSON.stringify(after?.[key])).sort()
}

/**
 * Appends who changed what to the audit log. Call it with the transaction's client so the audit row
 * commits or rolls back with the change itself. Only changed fields are kept, before and after.
 */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  const fields = changedFields(entry.before, entry.after)
  const pick = (snapshot: Record<string, unknown> | null | undefined) =>
    snapshot ? Object.fromEntries(fields.map((f) => [f, snapshot[f] ?? null])) : null
  await db.query(
    `INSERT INTO audit_log (actor, entity_type, entity_id, action, changed_fields, before, after, correlation_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [entry.actor, entry.entityType, entry.entityId, entry.action, fields, pick(entry.before), pick(entry.after), entry.correlationId ?? null],
  )
}
