import { fileURLToPath } from 'node:url'
import { auditMigrations, type MigrationSet } from '@ccm/db'
import { eventsMigrations } from '@ccm/events'

/** The platform's tables (outbox, processed events, audit log), then the console's own. */
export const migrations: MigrationSet[] = [
  eventsMigrations,
  auditMigrations,
  { name: 'console', directory: fileURLToPath(new URL('../migrations', import.meta.url)) },
]
