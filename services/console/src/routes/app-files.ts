import { existsSync, statSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import type { FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import { problemErrors } from '@ccm/http'

const notBuilt = `The console's app is not built yet.

Build it with:   pnpm --filter @ccm/console run build:web
(npm start builds it when it is missing or older than its sources), then reload this page.
`

/** The file under `root` that `path` names, if it is one there; never a path that leaves `root`. */
function fileIn(root: string, path: string): string | null {
  const full = resolve(root, path)
  if (!full.startsWith(root + sep)) return null
  try {
    return statSync(full).isFile() ? full : null
  } catch {
    return null
  }
}

/**
 * The single-page app built into `dist`: its files as they are (hashed ones under /assets/ cached for a year, as their
 * names change with their content), and index.html, never cached, for every other page path the app routes itself.
 * Nothing under /api is answered here: an /api path no route matched is a 404 problem.
 */
export default async function appFilesRoutes(app: FastifyInstance, options: { dist: string }) {
  const dist = resolve(options.dist)
  await app.register(fastifyStatic, { root: dist, serve: false })

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = (request.params as { '*': string })['*']
    if (path === 'api' || path.startsWith('api/')) {
      throw new problemErrors.NotFound(`No route ${request.method} ${request.url.split('?')[0]}`)
    }
    if (!existsSync(join(dist, 'index.html'))) {
      return reply.status(503).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(notBuilt)
    }
    if (path.startsWith('assets/')) {
      if (!fileIn(dist, path)) throw new problemErrors.NotFound(`No file ${path}`)
      return reply.sendFile(path, { maxAge: '365d', immutable: true })
    }
    const file = path === '' ? null : fileIn(dist, path)
    reply.header('cache-control', 'no-cache')
    return reply.sendFile(file ? path : 'index.html', { cacheControl: false })
  })
}
