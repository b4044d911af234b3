import { randomUUID } from 'node:crypto'
import { connect, type AddressInfo } from 'node:net'
import type { HttpApp } from '@ccm/http'

type App = Pick<HttpApp, 'inject' | 'listen' | 'server'>

export interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * Sends `head` (a request line and headers, CRLF-separated, without the blank line) over a real
 * socket, listening on a port of its own first if the app does not listen yet: Node's HTTP parser
 * and request lines that light-my-request would tidy up (absolute form) are only met this way.
 */
export async function rawRequest(app: App, head: string): Promise<RawAnswer> {
  if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const socket = connect(port, '127.0.0.1')
  // Written, not ended: a client that half-closes may be hung up on before a slow answer is sent.
  socket.write(`${head}\r\nConnection: close\r\n\r\n`)
  let text = ''
  for await (const chunk of socket) text += chunk
  const [top = '', ...rest] = text.split('\r\n\r\n')
  const [statusLine = '', ...headerLines] = top.split('\r\n')
  const headers = Object.fromEntries(
    headerLines.map((line) => {
      const at = line.indexOf(':')
      return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()]
    }),
  )
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') }
}

interface Operation {
  method: string
  /** The path with its parameters filled in. */
  url: string
}

/** A plausible value for a path parameter: a state's ISO3 code, else an id (all of ours are UUIDs). */
const fill = (name: string) => (/iso/i.test(name) ? 'KEN' : randomUUID())

/** Every operation the service documents under /v1, read from its OpenAPI document. */
export async function apiOperations(app: App): Promise<Operation[]> {
  const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, unknown>>
  }
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({
        method: method.toUpperCase(),
        url: path.replace(/\{(\w+)\}/g, (_, name: string) => fill(name)),
      })),
    )
}

export interface AuthProbe {
  request: string
  expected: number
  status: number
}

/**
 * Asks every /v1 operation, under every spelling of its path the router accepts, without a token
 * (expects 401) and, for writes, as a viewer with a body that does not parse (expects 403: roles
 * are decided before the body is read). The caller asserts `status` against `expected`.
 */
export async function probeRouteAuth(app: App, viewerAuthorization: string): Promise<AuthProbe[]> {
  const probes: AuthProbe[] = []
  for (const { method, url } of await apiOperations(app)) {
    const rest = url.slice('/v1'.length)
    for (const spelling of [url, `/%761${rest}`, `/v%31${rest}`]) {
      const anonymous = await app.inject({ method: method as 'GET', url: spelling })
      probes.push({ request: `${method} ${spelling} without a token`, expected: 401, status: anonymous.statusCode })
      if (method === 'GET') continue
      const viewer = await app.inject({
        method: method as 'POST',
        url: spelling,
        headers: { authorization: viewerAuthorization, 'content-type': 'application/json' },
        payload: '{"not json',
      })
      probes.push({ request: `${method} ${spelling} as a viewer`, expected: 403, status: viewer.statusCode })
    }
    const absolute = await rawRequest(app, `${method} http://localhost${url} HTTP/1.1\r\nHost: localhost`)
    probes.push({
      request: `${method} http://localhost${url} (absolute form) without a token`,
      expected: 401,
      status: absolute.status,
    })
  }
  return probes
}
