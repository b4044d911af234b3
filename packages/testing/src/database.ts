import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
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
        // A pool's end() resolves before its connections have closed: give them a moment to go by themselves,
        // since one that FORCE terminates while closing raises an 'error' its test may have no listener for.
        const deadline = Date.now() + 1000
        const connected = async () =>
          (await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name])).rows[0].n
        while ((await connected()) > 0 && Date.now() < deadline) await sleep(25)
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await admin.end()
      }
    },
  }
}
