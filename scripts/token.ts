// `npm run token -- --sub NAME --role ROLE [--expires 12h]`: prints a bearer token (last line).
// It is signed with JWT_SECRET from the environment (or .env), as the services verify it.
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { baseConfigSchema, loadConfig } from '@ccm/config'
import { roles, signToken, type Role } from '@ccm/http'

const { values } = parseArgs({
  options: { sub: { type: 'string' }, role: { type: 'string' }, expires: { type: 'string', default: '12h' } },
})
if (!values.sub || !roles.includes(values.role as Role)) {
  console.error(`usage: npm run token -- --sub NAME --role ${roles.join('|')} [--expires 12h]`)
  process.exit(2)
}
const envFile = new URL('../.env', import.meta.url)
if (existsSync(envFile)) process.loadEnvFile(envFile)
const config = loadConfig(baseConfigSchema)
if (!config.JWT_SECRET) console.error('note: JWT_SECRET is not set; signing with the development secret the services use by default')
console.log(await signToken(config, { sub: values.sub, role: values.role as Role }, values.expires))
