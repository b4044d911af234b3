import { execFile } from 'node:child_process'
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The newest Debian PostgreSQL install's binaries (TEST_PG_BIN overrides). */
async function binaries(): Promise<string> {
  if (process.env.TEST_PG_BIN) return process.env.TEST_PG_BIN
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a))
  if (!versions[0]) throw new Error('no PostgreSQL in /usr/lib/postgresql: set TEST_PG_BIN')
  return `/usr/lib/postgresql/${versions[0]}/bin`
}

export interface PrivatePostgres {
  /** postgres://…/postgres on this cluster. */
  url: string
  stop(): Promise<void>
  start(): Promise<void>
  /** Stops it for good and deletes its files. */
  destroy(): Promise<void>
}

/**
 * A Postgres cluster of the test's own, in a temporary directory on a port of its own, that the test
 * may stop and start (`-m immediate`, as a crash) without disturbing the shared server. Postgres
 * refuses to run as root, so as root it runs as the `postgres` user.
 */
export async function privatePostgres(): Promise<PrivatePostgres> {
  const bin = await binaries()
  const dir = await mkdtemp(join(tmpdir(), 'ccm-pg-'))
  const asRoot = userInfo().uid === 0
  const pgRun = (command: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args]) : run(join(bin, command), args)
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: gid } = await run('id', ['-g', 'postgres'])
    await chown(dir, Number(stdout), Number(gid))
  }
  const data = join(dir, 'data')
  const port = 20000 + Math.floor(Math.random() * 20000)
  await pgRun('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  const cluster: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: async () => {
      await pgRun('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start'])
    },
    stop: async () => {
      await pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
    },
    destroy: async () => {
      await cluster.stop().catch(() => {})
      await rm(dir, { recursive: true, force: true })
    },
  }
  await cluster.start().catch(async (error) => {
    await rm(dir, { recursive: true, force: true })
    throw error
  })
  return cluster
}
