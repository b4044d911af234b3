import { useDroppable } from '@dnd-kit/core'
import { Badge, Group, Paper, ScrollArea, Stack, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Stage } from './stages'

/** One column of the board: a stage, its count, and the cards dropped on it. */
export function StageColumn({ stage, count, children }: { stage: Stage; count: number; children: ReactNode }) {
  const { t } = useTranslation()
  const { setNodeRef, isOver } = useDroppable({ id: stage })
  const titleId = `stage-${stage}`
  return (
    <Paper
      ref={setNodeRef}
      component="section"
      aria-labelledby={titleId}
      data-testid={`column-${stage}`}
      withBorder
      p="xs"
      miw={150}
      bg={isOver ? 'blue.0' : 'gray.0'}
      style={{ display: 'flex', flexDirection: 'column', flex: '1 0 150px' }}
    >
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={3} size="sm" id={titleId}>
          {t(`campaigns.stage.${stage}`)}
        </Title>
        <Badge size="sm" variant="default" aria-label={t('campaigns.board.count', { count })}>
          {count}
        </Badge>
      </Group>
      <ScrollArea.Autosize mah="calc(100vh - 260px)" type="auto">
        <Stack gap="xs" mih={80}>
          {children}
        </Stack>
      </ScrollArea.Autosize>
    </Paper>
  )
}
