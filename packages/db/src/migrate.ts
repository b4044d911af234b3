import pg from 'pg'
import Postgrator from 'postgrator'

/**
 * A folder of numbered SQL migrations (`001.do.create-states.sql`, …) with its own version table,
 * so shared packages (the outbox, the audit log) and a service can each own their tables in one database.
 */
export interface MigrationSet {
  name: string
  directory: string
}

export async function runMigrations(connectionString: string, sets: MigrationSet[]): Promise<void> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    for (const set of sets) {
      const postgrator = new Postgrator({
        migrationPattern: `${set.directory}/*.sql`,
        driver: 'pg',
        schemaTable: `schema_version_${set.name}`,
        execQuery: (query) => client.query(query),
      })
      await postgrator.migrate()
    }
  } finally {
    await client.end()
  }
}
