import pg from 'pg'
import { unreachable } from '@ccm/config'

/**
 * Creates the database named in `connectionString` if it does not exist yet (connecting to `postgres` to do so).
 * The database itself is tried first: in production a service's user may reach its own database and no other.
 */
export async function ensureDatabase(connectionString: string): Promise<void> {
  const url = new URL(connectionString)
  const name = decodeURIComponent(url.pathname.slice(1))
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Refusing to create database with unusual name "${name}"`)
  if (await exists(connectionString)) return
  url.pathname = '/postgres'
  const admin = new pg.Client({ connectionString: url.toString() })
  try {
    await admin.connect()
  } catch (error) {
    throw unreachable('PostgreSQL', connectionString, error)
  }
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (rowCount === 0) {
      // Two processes may race to create it; the loser's duplicate_database error is harmless.
      await admin.query(`CREATE DATABASE ${name}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error
      })
    }
  } finally {
    await admin.end()
  }
}

/** Whether the database answers; false only when Postgres says it does not exist (invalid_catalog_name). */
async function exists(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString })
  try {
    await client.connect()
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return false
    throw unreachable('PostgreSQL', connectionString, error)
  }
  await client.end()
  return true
}
