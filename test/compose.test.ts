import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import pg from 'pg'
import t from 'tap'
import { parse } from 'yaml'
import { runMigrations } from '@ccm/db'
import { migrations as contactsMigrations } from '../services/contacts/src/migrations.ts'
import { root, run } from './helper.ts'

interface ComposeService {
  image?: string
  build?: { context: string; args?: Record<string, string> }
  command?: string[]
  profiles?: string[]
  environment?: Record<string, string | number>
  depends_on?: Record<string, { condition: string }>
  ports?: string[]
}

const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8')
// Compose resolves YAML merge keys (<<) as the yaml package does with merge: true.
const compose = parse(composeText, { merge: true }) as { services: Record<string, ComposeService> }
const envExample = readFileSync(join(root, '.env.example'), 'utf8')
/** The services of this checkout: each must be in the compose file. */
const present = readdirSync(join(root, 'services')).filter((n) =>
  existsSync(join(root, 'services', n, 'src/server.ts')),
)
const services = present

t.test('docker-compose.yml is valid against the Compose Specification schema', async (t) => {
  // The schema is draft-07 with annotations ajv's strict mode does not know (`deprecated`), and names its
  // meta-schema by an address ajv does not hold (https, no #): not strict, and the schema itself not checked.
  const schema = JSON.parse(readFileSync(join(root, 'infra/compose-spec/compose-spec.json'), 'utf8'))
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false })
  const validate = ajv.compile(schema)
  // As Compose loads it: YAML merge keys (<<) resolved by the YAML parser, then checked against the schema.
  const valid = validate(parse(composeText, { merge: true }))
  t.ok(valid, `valid: ${ajv.errorsText(validate.errors, { separator: '\n' })}`)

  const broken = parse(composeText, { merge: true })
  broken.services.contacts.depends_on['contacts-migrate'].condition = 'service_finished'
  broken.services.contacts.healthcheck = { test: 'x', intervall: '5s' }
  t.notOk(validate(broken), 'while a condition or a key Compose does not know is refused')
  t.match(ajv.errorsText(validate.errors), /condition.*allowed values|must be equal to one of the allowed values/)
})

t.test('every service has its image, a one-off migration before it starts, and its own database user', async (t) => {
  const databases = String(compose.services.postgres?.environment?.CCM_DATABASES).split(' ')
  for (const name of services) {
    const service = compose.services[name]
    const migrate = compose.services[`${name}-migrate`]
    if (!t.ok(service && migrate, `${name} and ${name}-migrate are in the compose file`)) continue
    t.equal(service!.build?.args?.SERVICE, name, `${name} is built with SERVICE=${name}`)
    t.equal(migrate!.image, service!.image, `${name}-migrate runs ${name}'s image`)
    t.same(migrate!.command, ['node', 'dist/migrate.js'], `${name}-migrate runs the migrations, once`)
    t.equal(service!.command, undefined, `${name} runs the image's own command (the server), without migrating`)
    t.same(
      service!.depends_on?.[`${name}-migrate`],
      { condition: 'service_completed_successfully' },
      `${name} waits for its migration to succeed`,
    )
    t.same(service!.depends_on?.['kafka-topics'], { condition: 'service_completed_successfully' })
    const url = String(service!.environment?.[`${name.toUpperCase()}_DATABASE_URL`])
    t.match(
      url,
      new RegExp(`^postgres://ccm_${name}:\\$\\{${name.toUpperCase()}_DB_PASSWORD[^}]*\\}@postgres:5432/ccm_${name}$`),
    )
    t.ok(databases.includes(name), `the init script makes database and user ccm_${name}`)
    t.equal(service!.environment?.NODE_ENV, 'production')
    t.notOk(service!.profiles, `${name} starts with the others, behind no profile`)
  }
  t.same(compose.services['kafka-topics']?.command, ['node', 'dist/create-topics.js'])
})

t.test('.env.example lists every variable the compose file and the services read', async (t) => {
  const listed = (name: string) => new RegExp(`^${name}=`, 'm').test(envExample)
  for (const [, name] of composeText.matchAll(/\$\{([A-Z0-9_]+)/g)) t.ok(listed(name!), `${name} (docker-compose.yml)`)
  const configs = ['packages/config/src/index.ts', ...present.map((n) => `services/${n}/src/config.ts`)]
  for (const file of configs.filter((f) => existsSync(join(root, f)))) {
    for (const [, name] of readFileSync(join(root, file), 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)) {
      // A setting that only survives for compatibility is named in the comment of the one that replaced it.
      t.ok(new RegExp(`\\b${name}\\b`).test(envExample), `${name} (${file})`)
    }
  }
})

t.test('the init script gives each service a user that reaches its own database and no other', async (t) => {
  const server = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432')
  const id = randomBytes(3).toString('hex')
  const [a, b] = [`t${id}a`, `t${id}b`]
  const admin = new pg.Client({ connectionString: new URL('/postgres', server).href })
  await admin.connect()
  t.teardown(async () => {
    // The script takes CONNECT on postgres and template1 from PUBLIC: given back to leave the server as it was.
    await admin.query('GRANT CONNECT ON DATABASE postgres TO PUBLIC')
    await admin.query('GRANT CONNECT ON DATABASE template1 TO PUBLIC')
    for (const name of [a, b]) {
      await admin.query(`DROP DATABASE IF EXISTS ccm_${name} WITH (FORCE)`)
      await admin.query(`DROP ROLE IF EXISTS ccm_${name}`)
    }
    await admin.end()
  })
  const env = {
    ...process.env,
    PGHOST: server.hostname,
    PGPORT: server.port || '5432',
    POSTGRES_USER: decodeURIComponent(server.username) || 'postgres',
    CCM_DATABASES: `${a} ${b}`,
    [`${a.toUpperCase()}_DB_PASSWORD`]: 'a-password',
    [`${b.toUpperCase()}_DB_PASSWORD`]: 'b-password',
  }
  await run('bash', ['infra/postgres/init-databases.sh'], env)
  await run('bash', ['infra/postgres/init-databases.sh'], env) // a second run changes nothing and fails on nothing

  const as = (user: string, database: string) => {
    const url = new URL(`/${database}`, server)
    url.username = user
    url.password = 'a-password'
    return url.href
  }
  // Its own database: contacts' migrations (tables, the trusted extensions they create) run as the user.
  await runMigrations(as(`ccm_${a}`, `ccm_${a}`), contactsMigrations)
  t.pass(`ccm_${a} migrates ccm_${a}`)
  for (const other of [`ccm_${b}`, 'postgres', 'template1']) {
    const client = new pg.Client({ connectionString: as(`ccm_${a}`, other) })
    await t.rejects(client.connect(), { code: '42501' }, `ccm_${a} cannot connect to ${other}`)
  }
})
