// The console's typed client (web/src/api/*.d.ts) must match the services' OpenAPI documents as they are served:
// a change to an API that the console does not follow fails here. `npm run console:client` regenerates it.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'

t.test('the committed client matches a fresh generation from the three OpenAPI documents', async (t) => {
  const root = join(import.meta.dirname, '../../..')
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/console-client.ts', '--check'], {
    cwd: root,
  })
  await t.resolves(run, 'npm run console:client -- --check passes')
})
