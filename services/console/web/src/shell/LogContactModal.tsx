/**
 * Logging a contact, from anywhere: kind, when (now unless changed), states, organisations, people (type-ahead; a
 * new person is created inline), summary, notes and whether they are restricted, an optional follow-up. Built for
 * someone who knows what to type: the summary takes focus when the page gave the state, Ctrl/Cmd+Enter saves.
 * On success the timelines concerned show the contact at once (optimistically, then refetched); on failure the
 * problem shows at its field and the form keeps everything typed.
 */
import { useState } from 'react'
import {
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  SegmentedControl,
  Stack,
  Switch,
  Textarea,
  TextInput,
  Text,
  Paper,
  Input,
} from '@mantine/core'
import { DateInput, DateTimePicker } from '@mantine/dates'
import { useForm } from '@mantine/form'
import { getHotkeyHandler } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { contacts, ok } from '../api/client'
import type { components } from '../api/contacts'
import { EntityPicker, type Picked } from '../components/EntityPicker'
import { applyProblem } from '../forms'
import { useStates, type Interaction } from '../queries'
import { useSession } from '../session'
import type { LogContactPrefill } from './log-contact-context'

type Kind = components['schemas']['NewInteractionInput']['kind']
const KINDS: Kind[] = ['meeting', 'call', 'email', 'letter', 'demarche', 'event', 'other']

/** `2026-03-02 10:30:00` (local, as the picker gives it) → an ISO instant. */
const toInstant = (local: string) => new Date(local.replace(' ', 'T')).toISOString()
const nowLocal = () => {
  const d = new Date()
  const pad = (n: number) => String(n).padStart(2, '0')
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  return `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}:00`
}
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)

function NewPersonForm({
  name,
  onCreated,
  onCancel,
}: {
  name: string
  onCreated: (p: Picked) => void
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const [given, ...rest] = name.split(/\s+/)
  const form = useForm({
    initialValues: {
      givenName: rest.length ? given! : '',
      familyName: rest.length ? rest.join(' ') : given!,
      email: '',
      jobTitle: '',
    },
    validate: {
      givenName: (v) => (v.trim() ? null : t('people.givenNameRequired')),
      familyName: (v) => (v.trim() ? null : t('people.familyNameRequired')),
    },
  })
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      ok(
        contacts.POST('/v1/people', {
          body: {
            givenName: v.givenName.trim(),
            familyName: v.familyName.trim(),
            jobTitle: v.jobTitle.trim() || null,
            emails: v.email.trim() ? [v.email.trim()] : [],
            phones: [],
            languages: [],
            tags: [],
            doNotContact: false,
            affiliations: [],
          },
        }),
      ),
    onSuccess: (person) => onCreated({ id: person.id, name: `${person.givenName} ${person.familyName}` }),
    onError: (error) => applyProblem(form, error, { emails: 'email' }),
  })
  return (
    <Paper withBorder p="sm" bg="gray.0" role="group" aria-label={t('logContact.newPerson')}>
      <Text fw={600} size="sm" mb="xs">
        {t('logContact.newPerson')}
      </Text>
      <Stack gap="xs">
        <Group grow>
          <TextInput label={t('people.givenName')} data-autofocus {...form.getInputProps('givenName')} />
          <TextInput label={t('people.familyName')} {...form.getInputProps('familyName')} />
        </Group>
        <Group grow>
          <TextInput label={t('people.jobTitle')} {...form.getInputProps('jobTitle')} />
          <TextInput label={t('people.email')} type="email" {...form.getInputProps('email')} />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" size="xs" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button size="xs" loading={create.isPending} onClick={() => form.onSubmit((v) => create.mutate(v))()}>
            {t('logContact.addPerson')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  )
}

export default function LogContactModal({ prefill, onClose }: { prefill: LogContactPrefill; onClose: () => void }) {
  const { t } = useTranslation()
  const { user } = useSession()
  const queryClient = useQueryClient()
  const states = useStates()
  const [newPerson, setNewPerson] = useState<string | null>(null)
  const form = useForm({
    initialValues: {
      kind: 'meeting' as Kind,
      occurredAt: nowLocal(),
      states: prefill.states ?? [],
      organizations: (prefill.organizations ?? []) as Picked[],
      people: (prefill.people ?? []) as Picked[],
      summary: '',
      notes: '',
      restricted: false,
      withFollowUp: false,
      followUp: { dueOn: inDays(7), assignee: user.username },
    },
    validate: {
      summary: (v) => (v.trim() ? null : t('logContact.summaryRequired')),
      occurredAt: (v) => (v ? null : t('logContact.whenRequired')),
      followUp: {
        dueOn: (v, values) => (values.withFollowUp && !v ? t('logContact.dueRequired') : null),
        assignee: (v, values) => (values.withFollowUp && !v.trim() ? t('logContact.assigneeRequired') : null),
      },
    },
  })

  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      ok(
        contacts.POST('/v1/interactions', {
          body: {
            kind: v.kind,
            occurredAt: toInstant(v.occurredAt),
            summary: v.summary.trim(),
            notes: v.notes.trim() || null,
            states: v.states,
            organizations: v.organizations.map((o) => o.id),
            people: v.people.map((p) => p.id),
            confidentiality: v.restricted ? 'restricted' : 'normal',
            ...(v.withFollowUp
              ? { followUp: { dueOn: v.followUp.dueOn, assignee: v.followUp.assignee.trim(), done: false } }
              : {}),
          },
        }),
      ),
    onSuccess: (interaction) => {
      // Shown at once on the timelines it belongs to; the refetch below brings the server's view.
      for (const iso3 of interaction.states)
        queryClient.setQueryData<{ items: Interaction[] }>(
          ['contacts', '/v1/interactions', { state: iso3, limit: 50 }],
          (old) => (old ? { ...old, items: [interaction, ...old.items.filter((i) => i.id !== interaction.id)] } : old),
        )
      void queryClient.invalidateQueries({ queryKey: ['contacts'] })
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] })
      notifications.show({ color: 'green', message: t('logContact.saved', { summary: interaction.summary }) })
      onClose()
    },
    onError: (error) => applyProblem(form, error),
  })

  const submit = form.onSubmit((values) => save.mutate(values))
  const stateOptions = (states.data ?? []).map((s) => ({ value: s.iso3, label: s.name }))

  return (
    <Modal opened onClose={onClose} title={t('logContact.title')} size="xl">
      <form onSubmit={submit} onKeyDown={getHotkeyHandler([['mod+Enter', () => submit()]])} noValidate>
        <Stack gap="sm">
          <Input.Wrapper label={t('logContact.kind')}>
            <SegmentedControl
              fullWidth
              data={KINDS.map((k) => ({ value: k, label: t(`interactions.kinds.${k}`) }))}
              {...form.getInputProps('kind')}
            />
          </Input.Wrapper>
          <Group grow align="flex-start">
            <DateTimePicker
              label={t('logContact.when')}
              valueFormat="DD MMM YYYY HH:mm"
              maxDate={new Date()}
              {...form.getInputProps('occurredAt')}
            />
            <MultiSelect
              label={t('logContact.states')}
              data={stateOptions}
              searchable
              hidePickedOptions
              limit={12}
              {...form.getInputProps('states')}
            />
          </Group>
          <EntityPicker
            type="person"
            label={t('logContact.people')}
            placeholder={t('logContact.peoplePlaceholder')}
            value={form.values.people}
            onChange={(v) => form.setFieldValue('people', v)}
            onCreate={(name) => setNewPerson(name)}
            error={form.errors.people}
          />
          {newPerson !== null && (
            <NewPersonForm
              name={newPerson}
              onCancel={() => setNewPerson(null)}
              onCreated={(p) => {
                form.setFieldValue('people', [...form.values.people, p])
                setNewPerson(null)
              }}
            />
          )}
          <EntityPicker
            type="organization"
            label={t('logContact.organisations')}
            value={form.values.organizations}
            onChange={(v) => form.setFieldValue('organizations', v)}
            error={form.errors.organizations}
          />
          <TextInput
            label={t('logContact.summary')}
            description={t('logContact.summaryHint')}
            data-autofocus
            {...form.getInputProps('summary')}
          />
          <Textarea label={t('logContact.notes')} autosize minRows={3} maxRows={10} {...form.getInputProps('notes')} />
          <Switch
            label={t('logContact.restricted')}
            description={t('logContact.restrictedHint')}
            {...form.getInputProps('restricted', { type: 'checkbox' })}
          />
          <Checkbox
            label={t('logContact.withFollowUp')}
            {...form.getInputProps('withFollowUp', { type: 'checkbox' })}
          />
          {form.values.withFollowUp && (
            <Group grow align="flex-start">
              <DateInput
                label={t('logContact.dueOn')}
                valueFormat="DD MMM YYYY"
                minDate={new Date()}
                {...form.getInputProps('followUp.dueOn')}
              />
              <TextInput label={t('logContact.assignee')} {...form.getInputProps('followUp.assignee')} />
            </Group>
          )}
          <Group justify="space-between" mt="sm">
            <Text size="xs" c="dimmed">
              {t('logContact.saveHint')}
            </Text>
            <Group>
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {t('logContact.save')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
