// `npm run token -- --sub NAME --role ROLE [--expires 12h]`: prints a bearer token (last line).
// It is signed with JWT_SECRET from the environment (or .env), as the services verify it; it may
// live at most JWT_MAX_AGE. Like `npm start`, it assumes development unless NODE_ENV says otherwise.
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { baseConfigSchema, durationSeconds, loadConfig } from '@ccm/config'
import { roles, signToken, type Role } from '@ccm/http'

const { values } = parseArgs({
  options: { sub: { type: 'string' }, role: { type: 'string' }, expires: { type: 'string', default: '12h' } },
})
const lifetime = durationSeconds(values.expires)
if (!values.sub?.trim() || !roles.includes(values.role as Role) || !lifetime) {
  console.error(`usage: npm run token -- --sub NAME --role ${roles.join('|')} [--expires 12h|30m|3600]`)
  process.exit(2)
}
const envFile = new URL('../.env', import.meta.url)
if (existsSync(envFile)) process.loadEnvFile(envFile)
const config = loadConfig(baseConfigSchema, { NODE_ENV: 'development', ...process.env })
if (!config.JWT_SECRET)
  console.error('note: JWT_SECRET is not set; signing with the development secret the services use by default')
console.log(await signToken(config, { sub: values.sub, role: values.role as Role }, lifetime))
