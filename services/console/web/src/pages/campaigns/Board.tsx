import {
  DndContext,
  KeyboardSensor,
  pointerWithin,
  rectIntersection,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
} from '@dnd-kit/core'
import { Group, ScrollArea } from '@mantine/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ProblemError } from '../../api/client'
import type { Campaign, Target, Task } from './api'
import { columnCoordinates } from './keyboard'
import { ReasonModal, type PendingMove } from './ReasonModal'
import { explainRefusal } from './refusals'
import { planMove, stages, type Stage } from './stages'
import { StageColumn } from './StageColumn'
import { TargetCard } from './TargetCard'
import { useMoveTarget } from './useMoveTarget'

interface Props {
  campaign: Campaign
  targets: Target[]
  tasks: Task[]
  canMove: boolean
  onOpen: (iso3: string) => void
}

// The column under the pointer when there is one (a mouse drag); the most overlapped one otherwise (the keyboard).
const collisions: CollisionDetection = (args) => {
  const under = pointerWithin(args)
  return under.length > 0 ? under : rectIntersection(args)
}

/** The campaign board: one column per stage; dragging a card moves the target (with a reason when one is due). */
export function Board({ campaign, targets, tasks, canMove, onOpen }: Props) {
  const { t } = useTranslation()
  const move = useMoveTarget(campaign.id)
  const [pending, setPending] = useState<PendingMove | null>(null)
  const [reasonError, setReasonError] = useState<string | null>(null)
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: columnCoordinates,
      keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space'] },
    }),
  )
  const byIso3 = new Map(targets.map((target) => [target.iso3, target]))
  const ownerOf = (iso3: string) =>
    tasks.find((task) => task.iso3 === iso3 && task.status === 'open')?.assignee ?? campaign.owner
  const nameOf = (id: unknown) => byIso3.get(String(id))?.name ?? String(id)
  // Droppables are the stage columns, so a droppable's id is a stage.
  const stageName = (id: unknown) => t(`campaigns.stage.${id as Stage}`)

  const send = (target: Target, to: Stage, reason?: string) =>
    move.mutate(
      { iso3: target.iso3, stage: to, reason, version: target.version },
      {
        onSuccess: () => setPending(null),
        onError: (error) => {
          const field = error instanceof ProblemError ? error.problem.invalidParams?.[0] : undefined
          // A refused reason stays in the modal to be fixed; anything else is explained beside the board.
          if (reason !== undefined && field?.name === 'body.reason') setReasonError(field.reason)
          else {
            setPending(null)
            explainRefusal(t, target.name, error, () => move.reset())
          }
        },
      },
    )

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const target = byIso3.get(String(active.id))
    if (!target || !over) return
    const to = over.id as Stage
    const plan = planMove(target.stage, to)
    if (plan.kind === 'same') return
    if (plan.kind === 'refused') return explainRefusal(t, target.name, plan.why)
    if (plan.kind === 'needsReason') {
      setReasonError(null)
      return setPending({ iso3: target.iso3, name: target.name, from: target.stage, to })
    }
    send(target, to)
  }

  const announcements: Announcements = {
    onDragStart: ({ active }) => t('campaigns.board.announce.start', { name: nameOf(active.id) }),
    onDragOver: ({ active, over }) =>
      over ? t('campaigns.board.announce.over', { name: nameOf(active.id), stage: stageName(over.id) }) : undefined,
    onDragEnd: ({ active, over }) =>
      over
        ? t('campaigns.board.announce.end', { name: nameOf(active.id), stage: stageName(over.id) })
        : t('campaigns.board.announce.cancel', { name: nameOf(active.id) }),
    onDragCancel: ({ active }) => t('campaigns.board.announce.cancel', { name: nameOf(active.id) }),
  }

  return (
    <>
      <DndContext
        sensors={sensors}
        collisionDetection={collisions}
        onDragEnd={onDragEnd}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t('campaigns.board.instructions') } }}
      >
        <ScrollArea type="auto" offsetScrollbars>
          <Group align="flex-start" wrap="nowrap" gap="xs" pb="sm">
            {stages.map((stage) => {
              const here = targets.filter((target) => target.stage === stage)
              return (
                <StageColumn key={stage} stage={stage} count={here.length}>
                  {here.map((target) => (
                    <TargetCard
                      key={target.iso3}
                      target={target}
                      owner={ownerOf(target.iso3)}
                      staleAfterDays={campaign.staleAfterDays}
                      canMove={canMove}
                      onOpen={onOpen}
                    />
                  ))}
                </StageColumn>
              )
            })}
          </Group>
        </ScrollArea>
      </DndContext>
      <ReasonModal
        key={pending ? `${pending.iso3}-${pending.to}` : 'none'}
        move={pending}
        busy={move.isPending}
        error={reasonError}
        onSubmit={(reason) => {
          const target = pending && byIso3.get(pending.iso3)
          if (target && pending) send(target, pending.to, reason)
        }}
        onCancel={() => setPending(null)}
      />
    </>
  )
}
