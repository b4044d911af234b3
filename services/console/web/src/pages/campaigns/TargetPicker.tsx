import { MultiSelect, SegmentedControl, Select, Stack, Text } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { contacts, ok } from '../../api/client'
import { regions, treatyStatuses, type CampaignValues } from './campaignForm'

/** Chooses the targets: every state matching a filter (with how many match), or states picked by hand. */
export function TargetPicker({ form }: { form: UseFormReturnType<CampaignValues> }) {
  const { t } = useTranslation()
  const { mode, filter } = form.getValues()
  const states = useQuery({
    queryKey: ['contacts', 'states', 'all'],
    queryFn: () => ok(contacts.GET('/v1/states', { params: { query: { limit: 500 } } })),
    staleTime: 5 * 60_000,
  })
  const all = states.data?.items ?? []
  const matching = all.filter(
    (s) => (!filter.status || s.status === filter.status) && (!filter.region || s.regionalGroup === filter.region),
  ).length
  return (
    <Stack gap="sm">
      <SegmentedControl
        aria-label={t('campaigns.new.targetsBy')}
        data={[
          { value: 'filter', label: t('campaigns.new.byFilter') },
          { value: 'hand', label: t('campaigns.new.byHand') },
        ]}
        {...form.getInputProps('mode')}
      />
      {mode === 'filter' ? (
        <>
          <Select
            label={t('campaigns.new.status')}
            data={treatyStatuses.map((value) => ({ value, label: t(`campaigns.treaty.${value}`) }))}
            clearable
            {...form.getInputProps('filter.status')}
          />
          <Select
            label={t('campaigns.new.region')}
            data={regions.map((value) => ({ value, label: value }))}
            clearable
            {...form.getInputProps('filter.region')}
          />
          <Text size="sm" aria-live="polite" data-testid="filter-count">
            {t('campaigns.new.matching', { count: matching })}
          </Text>
        </>
      ) : (
        <MultiSelect
          label={t('campaigns.new.states')}
          description={t('campaigns.new.statesHint')}
          data={all.map((s) => ({ value: s.iso3, label: s.name }))}
          searchable
          clearable
          {...form.getInputProps('iso3')}
        />
      )}
    </Stack>
  )
}
