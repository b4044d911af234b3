import { fileURLToPath } from 'node:url'
import { auditMigrations, type MigrationSet } from '@ccm/db'
import { eventsMigrations } from '@ccm/events'

/** The platform's tables (outbox, processed events, audit log), then the service's own. */
export const migrations: MigrationSet[] = [
  eventsMigrations,
  auditMigrations,
  { name: 'meetings', directory: fileURLToPath(new URL('../migrations', import.meta.url)) },
]
