import type { ReactNode } from 'react'
import { Alert, Button, Loader, Center } from '@mantine/core'
import type { UseQueryResult } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { ProblemError } from '../api/problem'

/** Renders a query's data, a loader the first time only (cached data shows at once), or its error with a retry. */
export function QueryState<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation()
  if (query.data !== undefined) return children(query.data)
  if (query.isError)
    return (
      <Alert color="red" title={t('errors.loadFailed')} role="alert">
        {query.error instanceof ProblemError ? (query.error.problem.detail ?? query.error.problem.title) : ''}
        <Button size="xs" variant="light" ml="md" onClick={() => void query.refetch()}>
          {t('common.retry')}
        </Button>
      </Alert>
    )
  return (
    <Center h={120}>
      <Loader size="sm" aria-label={t('common.loading')} />
    </Center>
  )
}
