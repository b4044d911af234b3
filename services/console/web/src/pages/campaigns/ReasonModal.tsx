import { Button, Group, Modal, Text, Textarea } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import type { Stage } from './stages'

export interface PendingMove {
  iso3: string
  name: string
  from: Stage
  to: Stage
}

interface Props {
  move: PendingMove | null
  busy: boolean
  /** The API's reason for refusing the last attempt, shown at the field so the text stays to be fixed. */
  error: string | null
  onSubmit: (reason: string) => void
  onCancel: () => void
}

/** Asks why, for the moves the campaigns API wants a reason for (off-ramps, judged stages, moves back). */
export function ReasonModal({ move, busy, error, onSubmit, onCancel }: Props) {
  const { t } = useTranslation()
  const form = useForm({
    mode: 'controlled',
    initialValues: { reason: '' },
    validate: { reason: (value) => (value.trim() ? null : t('campaigns.move.reasonRequired')) },
  })
  const close = () => {
    form.reset()
    onCancel()
  }
  return (
    <Modal opened={move !== null} onClose={close} title={t('campaigns.move.title')} centered>
      {move && (
        <form onSubmit={form.onSubmit(({ reason }) => onSubmit(reason.trim()))}>
          <Text size="sm" mb="sm">
            {t('campaigns.move.summary', {
              name: move.name,
              from: t(`campaigns.stage.${move.from}`),
              to: t(`campaigns.stage.${move.to}`),
            })}
          </Text>
          <Textarea
            label={t('campaigns.move.reason')}
            description={t('campaigns.move.reasonHint')}
            autosize
            minRows={3}
            data-autofocus
            {...form.getInputProps('reason')}
            error={form.errors.reason ?? error}
          />
          <Group justify="flex-end" mt="md">
            <Button variant="default" onClick={close}>
              {t('common.cancel', { defaultValue: 'Cancel' })}
            </Button>
            <Button type="submit" loading={busy}>
              {t('campaigns.move.submit', { stage: t(`campaigns.stage.${move.to}`) })}
            </Button>
          </Group>
        </form>
      )}
    </Modal>
  )
}
