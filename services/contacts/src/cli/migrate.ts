// Creates the database if missing, applies pending migrations and seeds the states registry.
// Run by `npm start` and `pnpm --filter @ccm/contacts migrate`; never by a request.
import { createPool, ensureDatabase, runMigrations } from '@ccm/db'
import { readConfig } from '../config.ts'
import { migrations } from '../migrations.ts'
import { seedStates } from '../services/seed.ts'

const config = readConfig()
await ensureDatabase(config.CONTACTS_DATABASE_URL)
await runMigrations(config.CONTACTS_DATABASE_URL, migrations)
const db = createPool(config.CONTACTS_DATABASE_URL, { max: 2 })
try {
  const inserted = await seedStates(db)
  console.log(`contacts: database migrated; ${inserted} state(s) seeded`)
} finally {
  await db.end()
}
