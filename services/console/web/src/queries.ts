/**
 * Queries several pages share. Keys follow `[service, path, params]`, which the live handler invalidates by service.
 */
import { useEffect, useState } from 'react'
import { useDebouncedCallback } from '@mantine/hooks'
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query'
import { campaigns, contacts, ok } from './api/client'
import type { components as ContactsSchemas } from './api/contacts'
import type { components as CampaignsSchemas } from './api/campaigns'

export type State = ContactsSchemas['schemas']['State']
export type TreatyStatus = State['status']
export type Region = NonNullable<State['regionalGroup']>
export type Person = ContactsSchemas['schemas']['Person']
export type Organization = ContactsSchemas['schemas']['Organization']
export type Interaction = ContactsSchemas['schemas']['Interaction']
export type Campaign = CampaignsSchemas['schemas']['Campaign']
export type Stage = CampaignsSchemas['schemas']['Target']['stage']

export const STATUSES: TreatyStatus[] = ['state_party', 'signatory', 'not_signed', 'withdrawn']
export const REGIONS: Region[] = ['African', 'Asia-Pacific', 'Eastern European', 'GRULAC', 'WEOG']
export const STAGES: Stage[] = [
  'not_engaged',
  'contacted',
  'engaged',
  'considering',
  'committed',
  'joined',
  'in_force',
  'paused',
  'declined',
]

/** The 197 states: one request, cached for the session (they change a few times a year; live events refresh them). */
export function useStates() {
  return useQuery({
    queryKey: ['contacts', '/v1/states', { limit: 250 }],
    queryFn: () => ok(contacts.GET('/v1/states', { params: { query: { limit: 250 } } })),
    staleTime: 10 * 60_000,
    select: (data) => data.items,
  })
}

/** The campaigns that are running or planned, for pickers and per-state stages. */
export function useCampaigns() {
  return useQuery({
    queryKey: ['campaigns', '/v1/campaigns', { limit: 100 }],
    queryFn: () => ok(campaigns.GET('/v1/campaigns', { params: { query: { limit: 100 } } })),
    select: (data) => data.items,
  })
}

const contactSearch = (q: string, params: { type?: 'person' | 'organization'; limit: number }) =>
  queryOptions({
    queryKey: ['contacts', '/v1/search', { q, ...params }],
    queryFn: () => ok(contacts.GET('/v1/search', { params: { query: { q, ...params } } })),
  })

/**
 * Search as you type over the contacts search API (accents and typos forgiven there), from two characters: `text`
 * is searched for once typing pauses for `waitMs`. The request goes out as the pause ends, before React renders
 * the new query: left to that render's effects, it would wait for the next frame to be painted. `q` is the text
 * the results are for.
 */
export function useContactSearch(
  text: string,
  params: { type?: 'person' | 'organization'; limit: number },
  waitMs: number,
) {
  const queryClient = useQueryClient()
  const [q, setQ] = useState(text.trim())
  const settle = useDebouncedCallback((value: string) => {
    if (value.length >= 2) void queryClient.prefetchQuery(contactSearch(value, params))
    setQ(value)
  }, waitMs)
  useEffect(() => {
    settle(text.trim())
  }, [text, settle])
  const search = useQuery({
    ...contactSearch(q, params),
    enabled: q.length >= 2,
    placeholderData: (previous) => previous,
  })
  return { q, search }
}

export function personName(person: Pick<Person, 'honorific' | 'givenName' | 'familyName'>): string {
  return [person.honorific, person.givenName, person.familyName].filter(Boolean).join(' ')
}
