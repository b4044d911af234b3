import { Modal, Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { LogContactPrefill } from './log-contact-context'

/** The "Log contact" form (placeholder until the form lands). */
export default function LogContactModal({ prefill, onClose }: { prefill: LogContactPrefill; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Modal opened onClose={onClose} title={t('logContact.title')} size="lg">
      <Text>{prefill.states?.join(', ')}</Text>
    </Modal>
  )
}
