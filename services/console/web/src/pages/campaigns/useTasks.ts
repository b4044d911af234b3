import { useMutation, useQueryClient } from '@tanstack/react-query'
import { campaigns, ok } from '../../api/client'
import { keys, type Task } from './api'

export interface NewTask {
  title: string
  assignee: string
  dueOn?: string
  iso3?: string
}

/** Creating and changing a campaign's tasks; both refresh the task list and the progress (overdue tasks). */
export function useTaskMutations(campaignId: string) {
  const queryClient = useQueryClient()
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.tasks(campaignId) }),
      queryClient.invalidateQueries({ queryKey: keys.progress(campaignId) }),
    ])
  const create = useMutation({
    mutationFn: (task: NewTask) => ok(campaigns.POST('/v1/tasks', { body: { campaignId, ...task } })),
    onSuccess: refresh,
  })
  const update = useMutation({
    mutationFn: ({ task, patch }: { task: Task; patch: { assignee?: string; status?: 'open' | 'done' } }) =>
      ok(
        campaigns.PATCH('/v1/tasks/{id}', {
          params: { path: { id: task.id } },
          body: { ...patch, version: task.version },
        }),
      ),
    onSettled: refresh,
  })
  return { create, update }
}
