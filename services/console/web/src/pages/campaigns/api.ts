import { queryOptions } from '@tanstack/react-query'
import type { components } from '../../api/campaigns'
import { campaigns, ok } from '../../api/client'

export type Campaign = components['schemas']['Campaign']
export type Target = components['schemas']['Target']
export type TargetDetail = components['schemas']['TargetDetail']
export type Task = components['schemas']['Task']
export type Progress = components['schemas']['CampaignProgress']

/** Query keys and fetchers of the campaigns pages, shared by the pages and by live updates. */
export const keys = {
  list: (q: string) => ['campaigns', 'list', q] as const,
  campaign: (id: string) => ['campaigns', id] as const,
  targets: (id: string) => ['campaigns', id, 'targets'] as const,
  target: (id: string, iso3: string) => ['campaigns', id, 'targets', iso3] as const,
  tasks: (id: string) => ['campaigns', id, 'tasks'] as const,
  progress: (id: string) => ['campaigns', id, 'progress'] as const,
}

export const campaignsList = (q: string) =>
  queryOptions({
    queryKey: keys.list(q),
    queryFn: () => ok(campaigns.GET('/v1/campaigns', { params: { query: { limit: 200, ...(q ? { q } : {}) } } })),
  })

export const campaignQuery = (id: string) =>
  queryOptions({
    queryKey: keys.campaign(id),
    queryFn: () => ok(campaigns.GET('/v1/campaigns/{id}', { params: { path: { id } } })),
  })

export const targetsQuery = (id: string) =>
  queryOptions({
    queryKey: keys.targets(id),
    queryFn: async () =>
      (await ok(campaigns.GET('/v1/campaigns/{id}/targets', { params: { path: { id }, query: {} } }))).items,
  })

export const targetQuery = (id: string, iso3: string) =>
  queryOptions({
    queryKey: keys.target(id, iso3),
    queryFn: () => ok(campaigns.GET('/v1/campaigns/{id}/targets/{iso3}', { params: { path: { id, iso3 } } })),
  })

export const tasksQuery = (id: string) =>
  queryOptions({
    queryKey: keys.tasks(id),
    queryFn: async () =>
      (await ok(campaigns.GET('/v1/tasks', { params: { query: { campaign_id: id, limit: 500 } } }))).items,
  })

export const progressQuery = (id: string) =>
  queryOptions({
    queryKey: keys.progress(id),
    queryFn: () => ok(campaigns.GET('/v1/campaigns/{id}/progress', { params: { path: { id } } })),
  })
