// Creates the database if missing, applies pending migrations, and on a fresh install makes the first admin.
// Run by `npm start` and `pnpm --filter @ccm/console migrate`; never by a request.
import { createPool, ensureDatabase, runMigrations } from '@ccm/db'
import { readConfig } from '../config.ts'
import { migrations } from '../migrations.ts'
import { bootstrapAdmin } from './bootstrap.ts'

const config = readConfig()
await ensureDatabase(config.CONSOLE_DATABASE_URL)
await runMigrations(config.CONSOLE_DATABASE_URL, migrations)
const db = createPool(config.CONSOLE_DATABASE_URL, { max: 2 })
try {
  const password = await bootstrapAdmin(db)
  console.log('console: database migrated')
  // The one time this password is shown: npm start picks this line up and prints it beside the console's URL.
  if (password) console.log(`console: first admin created: username admin, one-time password ${password}`)
} finally {
  await db.end()
}
