import { useMutation, useQueryClient } from '@tanstack/react-query'
import { ok, social } from '../../api/client'
import { keys, type Post } from './api'

type Resolution = { outcome: 'published'; url: string } | { outcome: 'retry' }
type Simple =
  '/v1/posts/{id}/submit' | '/v1/posts/{id}/approve' | '/v1/posts/{id}/cancel' | '/v1/posts/{id}/publish-now'

function useRefresh() {
  const queryClient = useQueryClient()
  return (post: Post) => {
    queryClient.setQueryData(keys.post(post.id), post)
    return queryClient.invalidateQueries({ queryKey: keys.posts })
  }
}

/** An action that takes only the version read (body or If-Match; the body here). */
function useAction(action: Simple) {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: (post: Post) =>
      ok(social.POST(action, { params: { path: { id: post.id } }, body: { version: post.version } })),
    onSuccess: refresh,
  })
}

/** The workflow's actions on one post; each sends the version read and refreshes every list of posts. */
export function usePostActions() {
  const refresh = useRefresh()
  return {
    submit: useAction('/v1/posts/{id}/submit'),
    approve: useAction('/v1/posts/{id}/approve'),
    cancel: useAction('/v1/posts/{id}/cancel'),
    publishNow: useAction('/v1/posts/{id}/publish-now'),
    reject: useMutation({
      mutationFn: ({ post, note }: { post: Post; note: string }) =>
        ok(
          social.POST('/v1/posts/{id}/reject', {
            params: { path: { id: post.id } },
            body: { note, version: post.version },
          }),
        ),
      onSuccess: refresh,
    }),
    resolve: useMutation({
      mutationFn: ({ post, channelId, resolution }: { post: Post; channelId: string; resolution: Resolution }) =>
        ok(
          social.POST('/v1/posts/{id}/deliveries/{channelId}/resolve', {
            params: { path: { id: post.id, channelId } },
            body: resolution,
          }),
        ),
      onSuccess: refresh,
    }),
  }
}
