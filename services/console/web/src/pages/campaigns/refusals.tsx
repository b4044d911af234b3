import { Button, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { TFunction } from 'i18next'
import { ProblemError } from '../../api/client'

/**
 * Says why a target did not move: a move the board knows the API refuses (into or out of the treaty stages),
 * or the API's own answer; a stale version (409 after someone else moved it) offers to reload the board.
 */
export function explainRefusal(
  t: TFunction,
  name: string,
  cause: 'treatyTo' | 'treatyFrom' | unknown,
  reload?: () => void,
) {
  if (cause === 'treatyTo' || cause === 'treatyFrom') {
    notifications.show({
      color: 'yellow',
      title: t('campaigns.move.refused', { name }),
      message: t(`campaigns.move.${cause}`),
    })
    return
  }
  const problem = cause instanceof ProblemError ? cause.problem : undefined
  const stale = problem?.status === 409 && problem.code === 'CAMPAIGNS_STALE_VERSION'
  const detail = problem?.invalidParams?.[0]?.reason ?? problem?.detail ?? t('campaigns.move.failed')
  notifications.show({
    color: 'red',
    title: t('campaigns.move.refused', { name }),
    autoClose: stale ? false : 8000,
    message: (
      <Stack gap={4} align="flex-start">
        <Text size="sm">{stale ? t('campaigns.move.stale') : detail}</Text>
        {stale && reload && (
          <Button size="compact-xs" variant="light" onClick={reload}>
            {t('campaigns.move.reload')}
          </Button>
        )}
      </Stack>
    ),
  })
}
