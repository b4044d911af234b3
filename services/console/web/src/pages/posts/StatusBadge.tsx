import { Badge } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { statusColour, type PostStatus } from './api'

export function StatusBadge({ status }: { status: PostStatus }) {
  const { t } = useTranslation()
  return (
    <Badge color={statusColour[status]} c="dark.9" data-status={status}>
      {t(`posts.status.${status}`)}
    </Badge>
  )
}
