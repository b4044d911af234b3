// Creates the database if missing and applies pending migrations. The states read model fills
// itself from contacts.events once the service runs; nothing is seeded here.
import { ensureDatabase, runMigrations } from '@ccm/db'
import { readConfig } from '../config.ts'
import { migrations } from '../migrations.ts'

const config = readConfig()
await ensureDatabase(config.CAMPAIGNS_DATABASE_URL)
await runMigrations(config.CAMPAIGNS_DATABASE_URL, migrations)
console.log('campaigns: database migrated')
