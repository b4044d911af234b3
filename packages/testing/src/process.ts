import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'

/**
 * Starts the service in `serviceDir` (its `src/server.ts`) in a process of its own, as in production.
 * It runs under the test runner's own TypeScript loader (this process's node flags), not tsx: compiled
 * by another loader, its files' coverage would not line up with the tests' and would hide theirs.
 * `nodeArgs` runs something else with plain `node` instead (`['dist/server.js']`: the build, as its image runs it).
 */
export function spawnServer(
  serviceDir: string,
  env: NodeJS.ProcessEnv,
  stdio: StdioOptions,
  nodeArgs: string[] = [...process.execArgv, 'src/server.ts'],
): ChildProcess {
  return spawn(process.execPath, nodeArgs, { cwd: serviceDir, env, stdio })
}
