/** A campaign's funnel (targets per stage, in pipeline order), with the numbers also in text. */
import { FunnelChart } from '@mantine/charts'
import '@mantine/charts/styles.css'
import { Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { Stage } from '../queries'

const FUNNEL: Stage[] = ['not_engaged', 'contacted', 'engaged', 'considering', 'committed', 'joined', 'in_force']
const COLORS = ['gray.5', 'blue.3', 'blue.5', 'blue.7', 'indigo.7', 'teal.7', 'green.8']

export default function CampaignFunnel({ perStage }: { perStage: Record<Stage, number> }) {
  const { t } = useTranslation()
  // A funnel counts those who reached a stage or went further, so each bar is never wider than the one above it.
  const reached = FUNNEL.map((_, i) => FUNNEL.slice(i).reduce((sum, s) => sum + perStage[s], 0))
  const data = FUNNEL.map((stage, i) => ({ name: t(`stages.${stage}`), value: reached[i]!, color: COLORS[i]! }))
  return (
    <>
      <FunnelChart data={data} size={160} withTooltip={false} withLabels labelsPosition="right" aria-hidden="true" />
      <Text size="xs" c="dimmed">
        {FUNNEL.map((s) => `${t(`stages.${s}`)} ${perStage[s]}`).join(' · ')}
      </Text>
    </>
  )
}
