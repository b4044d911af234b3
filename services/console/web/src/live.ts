/**
 * Live changes from the console server: one EventSource (`/api/live?types=contacts.,campaigns.,social.`) for the
 * whole app, shared by every `useLive(prefixes, onChange)`. `useLiveInvalidation()` (mounted once by the shell) is
 * the default handler: an event invalidates the cached queries of the service it comes from, so what is on screen
 * refetches (TanStack refetches active queries only) and anything else is fetched fresh when next shown.
 */
import { useEffect, useRef } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { sessionStore } from './session-store'

/** One change, as the server sends it in `event: change`. */
export interface LiveEvent {
  id: string
  type: string
  subject?: string
  time: string
  data: Record<string, unknown>
}

type Handler = (event: LiveEvent) => void
const TYPES = ['contacts.', 'campaigns.', 'social.']
const handlers = new Set<{ prefixes: string[]; handler: Handler }>()
let source: EventSource | null = null

function open() {
  if (source || typeof EventSource === 'undefined') return
  source = new EventSource(`/api/live?types=${encodeURIComponent(TYPES.join(','))}`)
  source.addEventListener('change', (message) => {
    let event: LiveEvent
    try {
      event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent
    } catch {
      return
    }
    for (const { prefixes, handler } of handlers) if (prefixes.some((p) => event.type.startsWith(p))) handler(event)
  })
  // EventSource retries by itself; an error may also mean the session ended, which only a request can tell.
  source.addEventListener('error', () => {
    void sessionStore.refresh().catch(() => {})
  })
}

function close() {
  source?.close()
  source = null
}

/** Calls `onChange` for each live event whose type starts with one of `prefixes` (`['campaigns.target.']`). */
export function useLive(prefixes: string[], onChange: Handler): void {
  const latest = useRef(onChange)
  latest.current = onChange
  const key = prefixes.join(',')
  useEffect(() => {
    const entry = { prefixes: key.split(','), handler: (e: LiveEvent) => latest.current(e) }
    handlers.add(entry)
    open()
    return () => {
      handlers.delete(entry)
      if (handlers.size === 0) close()
    }
  }, [key])
}

/** The service whose queries an event concerns: `campaigns.target.stage_changed` → `campaigns`. */
export function serviceOf(type: string): string {
  return type.split('.')[0] ?? type
}

/** The default handler: invalidates the queries (keyed `[service, path, params]`) of the event's service. */
export function useLiveInvalidation(): void {
  const queryClient = useQueryClient()
  useLive(TYPES, (event) => {
    void queryClient.invalidateQueries({ queryKey: [serviceOf(event.type)] })
  })
}
