import { FunnelChart } from '@mantine/charts'
import { Anchor, Card, Loader, Progress as Bar, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { progressQuery } from './api'
import { pipeline } from './stages'

const colours = ['gray.6', 'blue.4', 'blue.6', 'indigo.6', 'violet.6', 'teal.7', 'green.8']

/** How the campaign stands: the funnel, its goal, the median days per stage and the targets gone stale. */
export default function ProgressPanel({ campaignId, onOpen }: { campaignId: string; onOpen: (iso3: string) => void }) {
  const { t, i18n } = useTranslation()
  const { data } = useQuery(progressQuery(campaignId))
  if (!data) return <Loader aria-label={t('campaigns.loading')} />
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 })
  // The funnel counts each target in its stage and every stage before it: how far the targets got.
  const reached = pipeline.map((stage, i) => ({
    name: t(`campaigns.stage.${stage}`),
    value: pipeline.slice(i).reduce((sum, later) => sum + (data.targetsPerStage[later] ?? 0), 0),
    color: colours[i]!,
  }))
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          {t('campaigns.progress.funnel')}
        </Title>
        {data.goal && (
          <Stack gap={4} mb="md">
            <Text size="sm">
              {t('campaigns.progress.goal', {
                achieved: data.goal.achieved,
                target: data.goal.target,
                stage: t(`campaigns.stage.${data.goal.metric}`),
              })}
            </Text>
            <Bar
              value={Math.min(100, (100 * data.goal.achieved) / data.goal.target)}
              aria-label={t('campaigns.progress.goalBar')}
            />
          </Stack>
        )}
        <FunnelChart
          data={reached}
          withLabels
          labelsPosition="right"
          labelColor="dark.9"
          size={220}
          withTooltip={false}
        />
        <Table mt="sm" captionSide="top">
          <Table.Caption>{t('campaigns.progress.reachedCaption', { total: data.totalTargets })}</Table.Caption>
          <Table.Tbody>
            {reached.map((row) => (
              <Table.Tr key={row.name}>
                <Table.Th scope="row">{row.name}</Table.Th>
                <Table.Td>{number.format(row.value)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Stack>
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            {t('campaigns.progress.median')}
          </Title>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('campaigns.progress.stage')}</Table.Th>
                <Table.Th>{t('campaigns.progress.medianDays')}</Table.Th>
                <Table.Th>{t('campaigns.progress.stays')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.medianDaysInStage.map((row) => (
                <Table.Tr key={row.stage}>
                  <Table.Td>{t(`campaigns.stage.${row.stage}`)}</Table.Td>
                  <Table.Td>{number.format(row.medianDays)}</Table.Td>
                  <Table.Td>{number.format(row.stays)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            {t('campaigns.progress.stale', { days: data.staleAfterDays })}
          </Title>
          {data.staleTargets.length === 0 ? (
            <Text size="sm">{t('campaigns.progress.noneStale')}</Text>
          ) : (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('campaigns.progress.state')}</Table.Th>
                  <Table.Th>{t('campaigns.progress.stage')}</Table.Th>
                  <Table.Th>{t('campaigns.progress.daysWithout')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.staleTargets.map((row) => (
                  <Table.Tr key={row.iso3}>
                    <Table.Td>
                      <Anchor component="button" type="button" onClick={() => onOpen(row.iso3)}>
                        {row.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t(`campaigns.stage.${row.stage}`)}</Table.Td>
                    <Table.Td>{number.format(row.daysWithoutContact)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      </Stack>
    </SimpleGrid>
  )
}
