import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: Buffer
  /** The body parsed as JSON or a form, when it is one. */
  fields: Record<string, unknown>
}

export type Handler = (request: FakeRequest, response: ServerResponse) => void | Promise<void>

function parseFields(headers: IncomingMessage['headers'], body: Buffer): Record<string, unknown> {
  const type = headers['content-type'] ?? ''
  try {
    if (type.includes('application/json')) return JSON.parse(body.toString('utf8'))
    if (type.includes('application/x-www-form-urlencoded'))
      return Object.fromEntries(new URLSearchParams(body.toString('utf8')))
  } catch {}
  return {}
}

/**
 * A small HTTP server on 127.0.0.1 at a free port. It keeps the sockets it opened so `close()` ends
 * held requests too, and a test never waits on a response the fake chose not to send.
 */
export async function startServer(handler: Handler): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const body = Buffer.concat(chunks)
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        fields: parseFields(req.headers, body),
      }
      Promise.resolve(handler(request, res)).catch((error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
        res.end(String(error))
      })
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  type = 'application/json',
): void {
  if (res.destroyed) return
  res.writeHead(status, { 'content-type': type, ...headers })
  res.end(JSON.stringify(body))
}

/**
 * What a fake answers next: tests script the next N answers of an endpoint; once they are used up,
 * the fake behaves like the real platform on a good day.
 */
export class AnswerQueue<A> {
  private readonly queue: A[] = []
  push(...answers: A[]): void {
    this.queue.push(...answers)
  }
  next(): A | undefined {
    return this.queue.shift()
  }
  get pending(): number {
    return this.queue.length
  }
}

/** Held requests, released (answered) or dropped when the test says so or when the server closes. */
export class Holds {
  private readonly waiting = new Set<() => void>()
  arrived = 0
  hold(ms?: number): Promise<void> {
    this.arrived += 1
    return new Promise((resolve) => {
      const release = () => {
        this.waiting.delete(release)
        clearTimeout(timer)
        resolve()
      }
      const timer = ms === undefined ? undefined : setTimeout(release, ms)
      this.waiting.add(release)
    })
  }
  releaseAll(): void {
    for (const release of [...this.waiting]) release()
  }
}
