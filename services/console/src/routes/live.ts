import { problemSchema, type HttpApp } from '@ccm/http'
import { z } from 'zod'
import type { Change } from '../live/changes.ts'

/** Beyond this much unsent, the browser is not reading: its stream ends and it reconnects. */
const MAX_BUFFERED_BYTES = 1024 * 1024

const liveQuery = z.object({
  types: z
    .string()
    .max(1000)
    .optional()
    .describe('comma-separated prefixes of the event types wanted, e.g. campaigns.,social.post.'),
})

/**
 * `GET /api/live`: the services' events as server-sent events (`event: change`), for the signed-in user. A comment
 * every heartbeat keeps proxies from closing an idle stream, and checks that the session still holds: a session that
 * ended or expired ends its stream. A closed connection unsubscribes at once.
 */
export default async function liveRoutes(app: HttpApp, options: { heartbeatMs: number }) {
  const { sessions } = app.console
  const openStreams = new Set<() => void>()
  // A shutdown ends the streams first: an open one would otherwise hold the server until its close delay.
  app.addHook('preClose', async () => {
    for (const close of openStreams) close()
  })

  app.get(
    '/api/live',
    {
      schema: {
        operationId: 'live',
        tags: ['live'],
        summary: 'Server-sent events: every change the services announce, optionally only some types',
        querystring: liveQuery,
        response: { 401: problemSchema, 403: problemSchema },
      },
    },
    async (request, reply) => {
      const session = request.consoleSession!
      const prefixes = (request.query.types ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
      const wanted = (change: Change) => prefixes.length === 0 || prefixes.some((p) => change.type.startsWith(p))

      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // nginx would otherwise hold events back
      })
      raw.write(': connected\n\n')

      let closed = false
      const close = () => {
        if (closed) return
        closed = true
        openStreams.delete(close)
        unsubscribe()
        clearInterval(heartbeat)
        raw.end()
      }
      const unsubscribe = app.changes.subscribe((change) => {
        if (!wanted(change)) return
        if (raw.writableLength > MAX_BUFFERED_BYTES) return close()
        raw.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`)
      })
      const heartbeat = setInterval(async () => {
        if (!(await sessions.holds(session).catch(() => true))) return close()
        raw.write(': keep-alive\n\n')
      }, options.heartbeatMs)
      openStreams.add(close)
      raw.on('close', close)
    },
  )
}
