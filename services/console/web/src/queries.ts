/**
 * Queries several pages share. Keys follow `[service, path, params]`, which the live handler invalidates by service.
 */
import { useQuery } from '@tanstack/react-query'
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

export function personName(person: Pick<Person, 'honorific' | 'givenName' | 'familyName'>): string {
  return [person.honorific, person.givenName, person.familyName].filter(Boolean).join(' ')
}
