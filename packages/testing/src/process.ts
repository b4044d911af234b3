import { spawn, type ChildProcess } from 'node:child_process'

const orphanGuard = new URL('./orphan-guard.mjs', import.meta.url).href

/**
 * Starts the service in `serviceDir` (its `src/server.ts`) in a process of its own, as in production.
 * It runs under the test runner's own TypeScript loader (this process's node flags), not tsx: compiled
 * by another loader, its files' coverage would not line up with the tests' and would hide theirs.
 * `nodeArgs` runs something else with plain `node` instead (`['dist/server.js']`: the build, as its image runs it).
 * Its output is piped, never the runner's own (read `stdout` and `stderr`), and it ends when this process does,
 * however this one ends (orphan-guard.mjs).
 */
export function spawnServer(
  serviceDir: string,
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [...process.execArgv, 'src/server.ts'],
): ChildProcess {
  const child = spawn(process.execPath, ['--import', orphanGuard, ...nodeArgs], {
    cwd: serviceDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.resume()
  child.stderr!.resume()
  return child
}
