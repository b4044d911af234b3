// Creates the database if missing and applies pending migrations. Run by `npm start` and
// `pnpm --filter @ccm/social migrate`; never by a request.
import { ensureDatabase, runMigrations } from '@ccm/db'
import { readConfig } from '../config.ts'
import { migrations } from '../migrations.ts'

const config = readConfig()
await ensureDatabase(config.SOCIAL_DATABASE_URL)
await runMigrations(config.SOCIAL_DATABASE_URL, migrations)
console.log('social: database migrated')
