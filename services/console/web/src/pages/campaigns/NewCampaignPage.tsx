import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, Textarea, TextInput, Title } from '@mantine/core'
import { DateInput } from '@mantine/dates'
import { useForm } from '@mantine/form'
import { useQueryClient } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { campaigns, ok } from '../../api/client'
import { applyProblem } from '../../forms'
import { useSession } from '../../session'
import { initialValues, metrics, type CampaignValues } from './campaignForm'
import { TargetPicker } from './TargetPicker'
import { PageHeader } from '../../components/PageHeader'

/**
 * A new campaign and its targets, in two calls (create, then add targets). If the second is refused, the
 * campaign is kept and the next submit only retries the targets, with everything typed still there.
 */
export default function NewCampaignPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const session = useSession()
  const created = useRef<string | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const form = useForm<CampaignValues>({
    mode: 'controlled',
    initialValues: initialValues(session.user.username),
    validate: {
      name: (v) => (v.trim() ? null : t('campaigns.new.nameRequired')),
      objective: (v) => (v.trim() ? null : t('campaigns.new.objectiveRequired')),
      iso3: (v, values) => (values.mode === 'hand' && v.length === 0 ? t('campaigns.new.statesRequired') : null),
    },
  })

  const submit = form.onSubmit(async (v) => {
    setFailure(null)
    try {
      if (!created.current) {
        const campaign = await ok(
          campaigns.POST('/v1/campaigns', {
            body: {
              name: v.name.trim(),
              objective: v.objective.trim(),
              description: v.description.trim() || null,
              owner: v.owner.trim(),
              startsOn: v.startsOn,
              endsOn: v.endsOn,
              status: v.status,
              staleAfterDays: Number(v.staleAfterDays),
              goal: v.goal.metric ? { metric: v.goal.metric, target: Number(v.goal.target) } : null,
            },
          }),
        )
        created.current = campaign.id
      }
      const id = created.current
      const filter = {
        ...(v.filter.status ? { status: v.filter.status } : {}),
        ...(v.filter.region ? { region: v.filter.region } : {}),
      }
      await ok(
        campaigns.POST('/v1/campaigns/{id}/targets', {
          params: { path: { id } },
          body: v.mode === 'hand' ? { iso3: v.iso3 } : { filter },
        }),
      )
      await queryClient.invalidateQueries({ queryKey: ['campaigns', 'list'] })
      navigate(`/campaigns/${id}`)
    } catch (error) {
      if (!applyProblem(form, error)) setFailure(error instanceof Error ? error.message : String(error))
    }
  })

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={880}>
        <PageHeader title={t('campaigns.new.title')} />
        {failure && (
          <Alert color="red" title={t('campaigns.new.failed')} role="alert">
            {failure}
          </Alert>
        )}
        <TextInput label={t('campaigns.fields.name')} required {...form.getInputProps('name')} />
        <Textarea
          label={t('campaigns.fields.objective')}
          required
          autosize
          minRows={2}
          {...form.getInputProps('objective')}
        />
        <Textarea
          label={t('campaigns.fields.description')}
          autosize
          minRows={2}
          {...form.getInputProps('description')}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label={t('campaigns.fields.owner')} {...form.getInputProps('owner')} />
          <Select
            label={t('campaigns.fields.status')}
            data={(['planned', 'active'] as const).map((value) => ({ value, label: t(`campaigns.status.${value}`) }))}
            allowDeselect={false}
            {...form.getInputProps('status')}
          />
          <NumberInput
            label={t('campaigns.fields.staleAfterDays')}
            min={1}
            max={3650}
            {...form.getInputProps('staleAfterDays')}
          />
          <DateInput
            label={t('campaigns.fields.startsOn')}
            valueFormat="DD/MM/YYYY"
            clearable
            {...form.getInputProps('startsOn')}
          />
          <DateInput
            label={t('campaigns.fields.endsOn')}
            valueFormat="DD/MM/YYYY"
            clearable
            {...form.getInputProps('endsOn')}
          />
          <Group grow align="flex-start" gap="xs">
            <Select
              label={t('campaigns.fields.goalMetric')}
              data={metrics.map((value) => ({ value, label: t(`campaigns.stage.${value}`) }))}
              clearable
              {...form.getInputProps('goal.metric')}
            />
            <NumberInput label={t('campaigns.fields.goalTarget')} min={1} {...form.getInputProps('goal.target')} />
          </Group>
        </SimpleGrid>
        <Title order={2} size="h3">
          {t('campaigns.new.targets')}
        </Title>
        <TargetPicker form={form} />
        <Group>
          <Button type="submit" loading={form.submitting}>
            {created.current ? t('campaigns.new.retryTargets') : t('campaigns.new.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
