import { useMutation, useQueryClient } from '@tanstack/react-query'
import { campaigns, ok } from '../../api/client'
import { keys, type Target } from './api'
import type { Stage } from './stages'

export interface Move {
  iso3: string
  stage: Stage
  reason?: string
  version: number
}

/**
 * Moves a target at once on the board (optimistic), and puts it back quietly if the API refuses; the
 * caller explains the refusal. The board is refetched either way, so it ends as the API has it.
 */
export function useMoveTarget(campaignId: string) {
  const queryClient = useQueryClient()
  const key = keys.targets(campaignId)
  return useMutation({
    mutationFn: ({ iso3, stage, reason, version }: Move) =>
      ok(
        campaigns.POST('/v1/campaigns/{id}/targets/{iso3}/stage', {
          params: { path: { id: campaignId, iso3 } },
          body: { stage, version, ...(reason ? { reason } : {}) },
        }),
      ),
    onMutate: async (move) => {
      await queryClient.cancelQueries({ queryKey: key })
      const before = queryClient.getQueryData<Target[]>(key)
      queryClient.setQueryData<Target[]>(key, (list) =>
        list?.map((t) =>
          t.iso3 === move.iso3 ? { ...t, stage: move.stage, stageSince: new Date().toISOString() } : t,
        ),
      )
      return { before }
    },
    onError: (_error, _move, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before)
    },
    onSuccess: (detail) => {
      queryClient.setQueryData<Target[]>(key, (list) =>
        list?.map((t) => (t.iso3 === detail.iso3 ? { ...t, ...detail } : t)),
      )
      queryClient.setQueryData(keys.target(campaignId, detail.iso3), detail)
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: keys.progress(campaignId) })
      void queryClient.invalidateQueries({ queryKey: key })
    },
  })
}
