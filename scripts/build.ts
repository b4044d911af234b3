// `npm run build [-- <service>…]`: bundles every service (any services/<name> with a src/server.ts) into
// services/<name>/dist/, runnable with `node`: dist/server.js, one file per src/cli/*.ts (dist/migrate.js…),
// dist/create-topics.js (infra/create-topics.ts, for a one-off job in the service's image), dist/dlq.js
// (scripts/dlq.ts: `npm run dlq` where there is no checkout) and dist/healthcheck.js (the image's HEALTHCHECK); a
// service with a `build:web` script (console) runs it too. The
// workspace packages (@ccm/*) are compiled in, third-party packages stay imports, resolved from the
// deployed node_modules (`scripts/deploy-service.sh`). Source maps sit beside each file (node --enable-source-maps).
import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const wanted = process.argv.slice(2)
const services = readdirSync(join(root, 'services'))
  .filter((name) => existsSync(join(root, 'services', name, 'src', 'server.ts')))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
for (const name of wanted) if (!services.includes(name)) throw new Error(`no service services/${name}/src/server.ts`)

/** Bare imports other than the workspace's own packages stay imports: node_modules provides them. */
const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@ccm/') ? undefined : { external: true }))
  },
}

/**
 * Files found at run time through `new URL('<relative path>', import.meta.url)` (migrations, seed data) would be
 * looked for next to the bundle. Each such URL is rewritten to be relative to dist/: a file or folder of the
 * service itself stays where it is (the image keeps the service's folder), one elsewhere (a package's
 * migrations) is copied into dist/_assets/ under its path in the repository.
 */
function runtimeFiles(serviceDir: string, outDir: string): Plugin {
  const pattern = /new URL\((['"])(\.{1,2}\/[^'"]*)\1,\s*import\.meta\.url\)/g
  return {
    name: 'runtime-files',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined
        const source = readFileSync(args.path, 'utf8')
        const contents = source.replace(pattern, (_match, _quote: string, path: string) => {
          const target = resolve(dirname(args.path), path)
          // A script's optional .env stays where it looks for it (beside dist/, where there is none): settings
          // come from the environment, never from a file copied into a build.
          if (basename(target) === '.env') return `new URL(${JSON.stringify(path)}, import.meta.url)`
          let located = target
          if (relative(serviceDir, target).startsWith('..')) {
            if (!existsSync(target)) throw new Error(`${args.path}: ${path} does not exist, so cannot be bundled`)
            located = join(outDir, '_assets', relative(root, target))
            mkdirSync(dirname(located), { recursive: true })
            if (statSync(target).isDirectory()) cpSync(target, located, { recursive: true })
            else copyFileSync(target, located)
          }
          const fromDist = relative(outDir, located).split(sep).join('/') + (path.endsWith('/') ? '/' : '')
          return `new URL(${JSON.stringify(fromDist.startsWith('.') ? fromDist : `./${fromDist}`)}, import.meta.url)`
        })
        // Any other use of import.meta.url would silently point into dist/: refuse it rather than guess.
        if (contents.replace(pattern, '').includes('import.meta.url')) {
          throw new Error(`${args.path}: import.meta.url used other than as new URL('./…', import.meta.url)`)
        }
        return { contents, loader: 'ts' }
      })
    },
  }
}

async function buildService(name: string): Promise<string> {
  const serviceDir = join(root, 'services', name)
  const outDir = join(serviceDir, 'dist')
  const entryPoints: Record<string, string> = {
    server: join(serviceDir, 'src', 'server.ts'),
    'create-topics': join(root, 'infra', 'create-topics.ts'),
    dlq: join(root, 'scripts', 'dlq.ts'),
  }
  const cliDir = join(serviceDir, 'src', 'cli')
  for (const file of existsSync(cliDir) ? readdirSync(cliDir) : []) {
    if (!file.endsWith('.ts')) continue
    const entry = basename(file, '.ts')
    if (entry in entryPoints) throw new Error(`services/${name}/src/cli/${file}: dist/${entry}.js is taken`)
    entryPoints[entry] = join(cliDir, file)
  }
  rmSync(outDir, { recursive: true, force: true })
  const started = performance.now()
  await build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    // Paths in the maps relative to dist/, so stack traces name src/… in the repository and in the image.
    sourceRoot: '',
    logLevel: 'warning',
    plugins: [thirdPartyExternal, runtimeFiles(serviceDir, outDir)],
  })
  writeFileSync(join(outDir, 'healthcheck.js'), await healthcheck(name, serviceDir))
  const web = JSON.parse(readFileSync(join(serviceDir, 'package.json'), 'utf8')).scripts?.['build:web']
  if (web)
    execFileSync('pnpm', ['--silent', 'run', 'build:web'], { cwd: serviceDir, stdio: ['ignore', 'ignore', 'inherit'] })
  const ms = Math.round(performance.now() - started)
  return `${name}: ${Object.keys(entryPoints).length} entry points in ${ms} ms → services/${name}/dist`
}

/**
 * The image's HEALTHCHECK: GET /healthz on the port the service listens on (`<NAME>_PORT`, else its default,
 * read here from the service's own config so that the two cannot disagree). Exit 0 when it answers 200.
 */
async function healthcheck(name: string, serviceDir: string): Promise<string> {
  const variable = `${name.toUpperCase()}_PORT`
  const config = (await import(join(serviceDir, 'src', 'config.ts'))) as {
    readConfig?: (env: Record<string, string>) => Record<string, unknown>
  }
  const port = config.readConfig?.({ NODE_ENV: 'development' })[variable]
  if (typeof port !== 'number') throw new Error(`services/${name}/src/config.ts: readConfig() gives no ${variable}`)
  return `// Generated by scripts/build.ts: GET /healthz of this service, exit 0 on 200.
const port = process.env.${variable} || ${port}
fetch('http://127.0.0.1:' + port + '/healthz', { signal: AbortSignal.timeout(4000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
)
`
}

const started = performance.now()
for (const line of await Promise.all(services.map(buildService))) console.log(line)
console.log(`built ${services.length} service(s) in ${Math.round(performance.now() - started)} ms`)
