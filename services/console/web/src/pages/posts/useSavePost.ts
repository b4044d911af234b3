import { useQueryClient } from '@tanstack/react-query'
import { useRef } from 'react'
import { ok, social } from '../../api/client'
import { keys, type Post } from './api'
import { toBody, type ComposeValues } from './composeForm'

/**
 * Saves the composer: creates the post the first time, patches it after (with the version read, so a
 * concurrent edit gets 409), and submits it when asked. A post created before a failed submit is kept,
 * so the next attempt patches it instead of creating a second one.
 */
export function useSavePost(existing: Post | undefined) {
  const queryClient = useQueryClient()
  const saved = useRef<{ id: string; version: number } | null>(
    existing ? { id: existing.id, version: existing.version } : null,
  )
  if (existing && saved.current?.id === existing.id && existing.version > saved.current.version)
    saved.current = { id: existing.id, version: existing.version }

  return async (values: ComposeValues, submit: boolean): Promise<Post> => {
    const body = toBody(values)
    let post = saved.current
      ? await ok(
          social.PATCH('/v1/posts/{id}', {
            params: { path: { id: saved.current.id } },
            body: { ...body, version: saved.current.version },
          }),
        )
      : await ok(social.POST('/v1/posts', { body }))
    saved.current = { id: post.id, version: post.version }
    if (submit && post.status === 'draft') {
      post = await ok(
        social.POST('/v1/posts/{id}/submit', { params: { path: { id: post.id } }, body: { version: post.version } }),
      )
      saved.current = { id: post.id, version: post.version }
    }
    queryClient.setQueryData(keys.post(post.id), post)
    await queryClient.invalidateQueries({ queryKey: keys.posts })
    return post
  }
}
