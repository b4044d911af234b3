import { Badge } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { TreatyStatus } from '../queries'

/** The colours of the treaty statuses, shared by the badges, the map and its legend. */
export const STATUS_COLORS: Record<TreatyStatus | 'withdrawal_pending', string> = {
  state_party: '#1c7ed6',
  signatory: '#66a80f',
  not_signed: '#adb5bd',
  withdrawn: '#e8590c',
  withdrawal_pending: '#f59f00',
}

export function StatusBadge({ status, pending = false }: { status: TreatyStatus; pending?: boolean }) {
  const { t } = useTranslation()
  return (
    <Badge variant="light" color={status === 'not_signed' ? 'gray' : STATUS_COLORS[status]} autoContrast>
      {t(`status.${status}`)}
      {pending ? ` · ${t('status.withdrawal_pending')}` : ''}
    </Badge>
  )
}
