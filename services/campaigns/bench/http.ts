import http from 'node:http'

/**
 * The load's HTTP client: node:http on kept-alive connections. fetch costs several times its CPU per
 * request, taken from the services being measured on the same two cores.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })

export function postJson(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body)
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        res.on('error', reject)
      },
    )
    request.on('error', reject)
    request.end(payload)
  })
}

export function closeConnections(): void {
  agent.destroy()
}
