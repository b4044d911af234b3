// Creates the database if missing, applies pending migrations and seeds the formal meetings held so far.
// Run by `npm start` and `pnpm --filter @ccm/meetings migrate`; never by a request. The states read model fills
// itself from contacts.events once the service runs.
import { createPool, ensureDatabase, runMigrations } from '@ccm/db'
import { readConfig } from '../config.ts'
import { migrations } from '../migrations.ts'
import { seedMeetings } from '../services/seed.ts'

const config = readConfig()
await ensureDatabase(config.MEETINGS_DATABASE_URL)
await runMigrations(config.MEETINGS_DATABASE_URL, migrations)
const db = createPool(config.MEETINGS_DATABASE_URL, { max: 2 })
try {
  const inserted = await seedMeetings(db)
  console.log(`meetings: database migrated; ${inserted} meeting(s) seeded`)
} finally {
  await db.end()
}
