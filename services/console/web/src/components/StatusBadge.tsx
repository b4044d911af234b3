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

/** Badge colours dark enough for white text at 4.5:1 (the map's lighter fills need no text on them). */
const BADGE_COLORS: Record<TreatyStatus, string> = {
  state_party: '#1864ab',
  signatory: '#1b6b2e', // Mantine's green.9 gives white text only 4.4:1
  not_signed: '#495057',
  withdrawn: '#a61e1e',
}

export function StatusBadge({ status, pending = false }: { status: TreatyStatus; pending?: boolean }) {
  const { t } = useTranslation()
  return (
    <Badge variant="filled" color={BADGE_COLORS[status]}>
      {t(`status.${status}`)}
      {pending ? ` · ${t('status.withdrawal_pending')}` : ''}
    </Badge>
  )
}
