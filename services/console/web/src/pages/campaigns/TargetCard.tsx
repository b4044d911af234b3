import { useDraggable } from '@dnd-kit/core'
import { Badge, Card, Group, Text } from '@mantine/core'
import type { KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Target } from './api'
import { daysSince } from './stages'

interface Props {
  target: Target
  owner: string
  staleAfterDays: number
  canMove: boolean
  onOpen: (iso3: string) => void
}

/**
 * A target on the board, one focusable element: Enter or a click opens it; an editor drags it with the
 * mouse or with the keyboard (space, arrows, space; escape cancels).
 */
export function TargetCard({ target, owner, staleAfterDays, canMove, onOpen }: Props) {
  const { t, i18n } = useTranslation()
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({
    id: target.iso3,
    data: { stage: target.stage },
    disabled: !canMove,
  })
  const days = daysSince(target.stageSince)
  const last = target.lastContact
  // As campaigns counts it: no contact for staleAfterDays, counted from the last contact or, without one, from adding.
  const stale = daysSince(last?.at ?? target.addedAt) > staleAfterDays
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Enter' && !isDragging) onOpen(target.iso3)
    else listeners?.onKeyDown?.(event)
  }
  return (
    <Card
      ref={setNodeRef}
      withBorder
      padding="xs"
      radius="sm"
      shadow={isDragging ? 'md' : 'xs'}
      style={{
        transform: transform ? `translate3d(${transform.x}px, ${transform.y}px, 0)` : undefined,
        zIndex: isDragging ? 10 : undefined,
        cursor: canMove ? 'grab' : 'pointer',
      }}
      data-testid={`target-${target.iso3}`}
      {...(canMove ? attributes : {})}
      {...(canMove ? listeners : {})}
      role="button"
      tabIndex={0}
      aria-roledescription={canMove ? t('campaigns.board.draggable') : undefined}
      onClick={() => onOpen(target.iso3)}
      onKeyDown={onKeyDown}
    >
      <Text fw={600} size="sm">
        {target.name}
      </Text>
      <Group gap={4} mt={4}>
        <Badge size="xs" variant="default">
          {t('campaigns.board.days', { count: days })}
        </Badge>
        {stale && (
          <Badge size="xs" color="yellow.4" autoContrast>
            {t('campaigns.board.stale')}
          </Badge>
        )}
      </Group>
      <Text size="xs" c="gray.7" mt={4}>
        {last
          ? t('campaigns.board.lastContact', {
              kind: t(`campaigns.kind.${last.kind}`, { defaultValue: last.kind }),
              date: new Date(last.at).toLocaleDateString(i18n.language),
            })
          : t('campaigns.board.noContact')}
      </Text>
      <Text size="xs" c="gray.7">
        {t('campaigns.board.owner', { owner })}
      </Text>
    </Card>
  )
}
