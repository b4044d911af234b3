import { queryOptions } from '@tanstack/react-query'
import { ok, social } from '../../api/client'
import type { components } from '../../api/social'

export type Post = components['schemas']['Post']
export type Channel = components['schemas']['Channel']
export type Delivery = components['schemas']['Delivery']
export type PostStatus = Post['status']

export const keys = {
  channels: ['social', 'channels'] as const,
  posts: ['social', 'posts'] as const,
  window: (from: string, to: string) => ['social', 'posts', 'window', from, to] as const,
  queue: ['social', 'posts', 'queue'] as const,
  post: (id: string) => ['social', 'posts', id] as const,
}

export const channelsQuery = queryOptions({
  queryKey: keys.channels,
  queryFn: async () => (await ok(social.GET('/v1/channels'))).items,
  staleTime: 60_000,
})

/** Posts scheduled in [from, to): the calendar's window. */
export const windowQuery = (from: string, to: string) =>
  queryOptions({
    queryKey: keys.window(from, to),
    queryFn: async () => (await ok(social.GET('/v1/posts', { params: { query: { from, to, limit: 500 } } }))).items,
  })

export const queueQuery = queryOptions({
  queryKey: keys.queue,
  queryFn: async () =>
    (await ok(social.GET('/v1/posts', { params: { query: { status: 'submitted', limit: 200 } } }))).items,
})

export const recentQuery = queryOptions({
  queryKey: [...keys.posts, 'recent'],
  queryFn: async () => (await ok(social.GET('/v1/posts', { params: { query: { limit: 100 } } }))).items,
})

export const postQuery = (id: string) =>
  queryOptions({
    queryKey: keys.post(id),
    queryFn: () => ok(social.GET('/v1/posts/{id}', { params: { path: { id } } })),
  })

/**
 * Mantine colours by status, shared by the calendar, the lists and the post page: light shades under dark text,
 * so every label keeps its contrast (WCAG AA) whatever the status.
 */
export const statusColour: Record<PostStatus, string> = {
  draft: 'gray.3',
  submitted: 'yellow.3',
  approved: 'cyan.3',
  scheduled: 'blue.3',
  publishing: 'indigo.3',
  published: 'green.3',
  failed: 'red.3',
  unconfirmed: 'orange.3',
  cancelled: 'gray.5',
  missed: 'pink.3',
}
