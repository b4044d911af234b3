import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { ensureDatabase, runMigrations, type MigrationSet } from '@ccm/db'

export interface TestDatabase {
  url: string
  drop(): Promise<void>
}

const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'

/**
 * A fresh database for one test file (`<prefix>_test_<random>`), migrated; never one `npm start` uses.
 * `drop()` removes it, closing whatever connections are left.
 */
export async function createTestDatabase(prefix: string, migrations: MigrationSet[]): Promise<TestDatabase> {
  const name = `${prefix}_test_${randomBytes(4).toString('hex')}`
  const url = `${serverUrl}/${name}`
  await ensureDatabase(url)
  await runMigrations(url, migrations)
  return {
    url,
    async drop() {
      const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` })
      await admin.connect()
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await admin.end()
      }
    },
  }
}
