import { Autocomplete, Button, Badge, Checkbox, Stack, Table, Text, Tooltip } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Campaign, Target, Task } from './api'
import { TaskForm } from './TaskForm'
import { useTaskMutations } from './useTasks'

interface Props {
  campaign: Campaign
  targets: Target[]
  tasks: Task[]
  me: string
  canWrite: boolean
}

/** The campaign's tasks: open ones first; editors add, reassign and complete them. */
export function TasksPanel({ campaign, targets, tasks, me, canWrite }: Props) {
  const { t, i18n } = useTranslation()
  const { create, update } = useTaskMutations(campaign.id)
  const [assigning, setAssigning] = useState<{ id: string; value: string } | null>(null)
  const people = [...new Set([me, campaign.owner, ...tasks.map((task) => task.assignee)])]
  const names = new Map(targets.map((target) => [target.iso3, target.name]))
  const sorted = [...tasks].sort((a, b) => Number(a.status !== 'open') - Number(b.status !== 'open'))
  const today = new Date().toISOString().slice(0, 10)

  const reassign = (task: Task) => {
    const value = assigning?.value.trim()
    setAssigning(null)
    if (value && value !== task.assignee) update.mutate({ task, patch: { assignee: value } })
  }

  return (
    <Stack>
      {canWrite && <TaskForm targets={targets} people={people} me={me} onCreate={(task) => create.mutateAsync(task)} />}
      {sorted.length === 0 ? (
        <Text>{t('campaigns.tasks.none')}</Text>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('campaigns.tasks.done')}</Table.Th>
              <Table.Th>{t('campaigns.tasks.title')}</Table.Th>
              <Table.Th>{t('campaigns.tasks.target')}</Table.Th>
              <Table.Th>{t('campaigns.tasks.assignee')}</Table.Th>
              <Table.Th>{t('campaigns.tasks.dueOn')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((task) => (
              <Table.Tr key={task.id} data-testid={`task-${task.id}`}>
                <Table.Td>
                  {canWrite ? (
                    <Checkbox
                      aria-label={t('campaigns.tasks.complete', { title: task.title })}
                      checked={task.status === 'done'}
                      disabled={task.status !== 'open'}
                      onChange={() => update.mutate({ task, patch: { status: 'done' } })}
                    />
                  ) : (
                    t(`campaigns.tasks.status.${task.status}`)
                  )}
                </Table.Td>
                <Table.Td td={task.status === 'open' ? undefined : 'line-through'}>{task.title}</Table.Td>
                <Table.Td>{task.iso3 ? (names.get(task.iso3) ?? task.iso3) : ''}</Table.Td>
                <Table.Td>
                  {canWrite && task.status === 'open' && assigning?.id === task.id ? (
                    <Autocomplete
                      aria-label={t('campaigns.tasks.assignee')}
                      size="xs"
                      data={people}
                      value={assigning.value}
                      onChange={(value) => setAssigning({ id: task.id, value })}
                      onBlur={() => reassign(task)}
                      onKeyDown={(event) => event.key === 'Enter' && reassign(task)}
                      autoFocus
                    />
                  ) : canWrite && task.status === 'open' ? (
                    <Tooltip label={t('campaigns.tasks.reassign')}>
                      <Button
                        variant="subtle"
                        size="compact-sm"
                        aria-label={t('campaigns.tasks.reassignTo', { assignee: task.assignee })}
                        onClick={() => setAssigning({ id: task.id, value: task.assignee })}
                      >
                        {task.assignee}
                      </Button>
                    </Tooltip>
                  ) : (
                    task.assignee
                  )}
                </Table.Td>
                <Table.Td>
                  {task.dueOn && (
                    <Badge
                      variant={task.status === 'open' && task.dueOn < today ? 'filled' : 'default'}
                      color={task.status === 'open' && task.dueOn < today ? 'red.9' : undefined}
                    >
                      {new Date(`${task.dueOn}T12:00:00`).toLocaleDateString(i18n.language)}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}
