import http from 'node:http'

/**
 * node:http on kept-alive connections: fetch costs several times its CPU per request, taken from the service being
 * measured on the same two cores.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 })

export function request(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const sent = http.request(
      url,
      {
        method,
        agent,
        headers: payload
          ? { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : headers,
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        res.on('error', reject)
      },
    )
    sent.on('error', reject)
    sent.end(payload)
  })
}

/** The request's latency in ms; throws unless it is answered `expected`. */
export async function timed(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string>,
  body?: unknown,
  expected = method === 'POST' ? 201 : 200,
): Promise<{ ms: number; body: string }> {
  const start = performance.now()
  const res = await request(method, url, headers, body)
  const ms = performance.now() - start
  if (res.status !== expected) throw new Error(`${method} ${url}: ${res.status} ${res.body.slice(0, 300)}`)
  return { ms, body: res.body }
}

export const closeConnections = () => agent.destroy()
