import { Autocomplete, Button, Group, Select, TextInput } from '@mantine/core'
import { DateInput } from '@mantine/dates'
import { useForm } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { applyProblem } from '../../forms'
import type { Target } from './api'
import type { NewTask } from './useTasks'

interface Props {
  targets: Target[]
  people: string[]
  me: string
  onCreate: (task: NewTask) => Promise<unknown>
}

/** A new task: what, who, by when, and optionally which target; what was typed stays if the API refuses it. */
export function TaskForm({ targets, people, me, onCreate }: Props) {
  const { t } = useTranslation()
  const form = useForm({
    mode: 'controlled',
    initialValues: { title: '', assignee: me, dueOn: null as string | null, iso3: null as string | null },
    validate: {
      title: (v) => (v.trim() ? null : t('campaigns.tasks.titleRequired')),
      assignee: (v) => (v.trim() ? null : t('campaigns.tasks.assigneeRequired')),
    },
  })
  const submit = form.onSubmit(async ({ title, assignee, dueOn, iso3 }) => {
    try {
      await onCreate({
        title: title.trim(),
        assignee: assignee.trim(),
        ...(dueOn ? { dueOn } : {}),
        ...(iso3 ? { iso3 } : {}),
      })
      form.reset()
    } catch (error) {
      applyProblem(form, error)
    }
  })
  return (
    <form onSubmit={submit} aria-label={t('campaigns.tasks.new')}>
      <Group align="flex-end" gap="sm">
        <TextInput label={t('campaigns.tasks.title')} w={280} {...form.getInputProps('title')} />
        <Autocomplete label={t('campaigns.tasks.assignee')} data={people} w={170} {...form.getInputProps('assignee')} />
        <DateInput
          label={t('campaigns.tasks.dueOn')}
          valueFormat="DD/MM/YYYY"
          clearable
          w={150}
          {...form.getInputProps('dueOn')}
        />
        <Select
          label={t('campaigns.tasks.target')}
          data={targets.map((target) => ({ value: target.iso3, label: target.name }))}
          searchable
          clearable
          w={190}
          {...form.getInputProps('iso3')}
        />
        <Button type="submit" loading={form.submitting}>
          {t('campaigns.tasks.add')}
        </Button>
      </Group>
    </form>
  )
}
