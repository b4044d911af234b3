export {
  createPool,
  withTransaction,
  pipelined,
  type Db,
  type DbClient,
  type Queryable,
  type TransactionOptions,
} from './pool.ts'
export { ensureDatabase } from './database.ts'
export { runMigrations, type MigrationSet } from './migrate.ts'
export {
  auditStatement,
  auditRecordset,
  insertAuditRows,
  changedFields,
  auditMigrations,
  type AuditEntry,
} from './audit.ts'
export { dbPlugin } from './plugin.ts'
export { DatabaseBusyError } from './errors.ts'
export { awaitLater } from './await-later.ts'
