import { Alert, Button, Checkbox, Grid, Group, Loader, Select, Stack, Text } from '@mantine/core'
import { DateTimePicker } from '@mantine/dates'
import { useForm } from '@mantine/form'
import { useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useParams } from 'react-router'
import { ProblemError } from '../../api/client'
import { applyProblem } from '../../forms'
import { useSession } from '../../session'
import { channelsQuery, postQuery } from './api'
import { ChannelTexts } from './ChannelTexts'
import { emptyPost, fromPost, type ComposeValues } from './composeForm'
import { anyOver } from './counter'
import { MediaPicker } from './MediaPicker'
import { Previews } from './Previews'
import { ThreadEditor } from './ThreadEditor'
import { useSavePost } from './useSavePost'
import { PageHeader } from '../../components/PageHeader'

const zones = Intl.supportedValuesOf('timeZone')

/** The composer: one text, per-channel variants, an X thread, images, a time in a chosen zone; save or submit. */
export default function ComposePage() {
  const { t } = useTranslation()
  const { id } = useParams()
  const navigate = useNavigate()
  const session = useSession()
  const channels = useQuery(channelsQuery)
  const existing = useQuery({ ...postQuery(id ?? ''), enabled: Boolean(id) })
  const previews = useRef(new Map<string, string>()).current
  const [failure, setFailure] = useState<{ message: string; stale: boolean } | null>(null)
  const form = useForm<ComposeValues>({ mode: 'controlled', initialValues: emptyPost([]) })
  const save = useSavePost(existing.data)

  // Fill the form once, from the post being edited or with the default channels for a new one.
  const ready = channels.data && (!id || existing.data)
  useEffect(() => {
    if (!ready || form.initialized) return
    form.initialize(
      existing.data ? fromPost(existing.data) : emptyPost(channels.data.filter((c) => c.isDefault).map((c) => c.id)),
    )
  }, [ready])

  const values = form.getValues()
  const chosen = useMemo(
    () => (channels.data ?? []).filter((channel) => values.channels.includes(channel.id)),
    [channels.data, values.channels],
  )
  if (!session.can('editor')) return <Text>{t('posts.compose.notAllowed')}</Text>
  if (!ready) return <Loader aria-label={t('posts.loading')} />
  const tooLong = anyOver(values, chosen)

  const run = (submit: boolean) =>
    form.onSubmit(async (v) => {
      setFailure(null)
      try {
        const post = await save(v, submit)
        navigate(`/posts/${post.id}`)
      } catch (error) {
        const stale = error instanceof ProblemError && error.status === 409
        if (stale || !applyProblem(form, error))
          setFailure({ message: error instanceof Error ? error.message : String(error), stale })
      }
    })

  return (
    <form onSubmit={run(true)} noValidate>
      <PageHeader title={id ? t('posts.compose.editTitle') : t('posts.compose.title')} />
      {failure && (
        <Alert
          color="red"
          role="alert"
          mb="md"
          title={failure.stale ? t('posts.compose.stale') : t('posts.compose.failed')}
        >
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{failure.message}</Text>
            {failure.stale && (
              <Button size="xs" variant="default" onClick={() => window.location.reload()}>
                {t('posts.compose.reload')}
              </Button>
            )}
          </Stack>
        </Alert>
      )}
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Checkbox.Group label={t('posts.compose.channels')} {...form.getInputProps('channels')}>
              <Group mt={4}>
                {channels.data.map((channel) => (
                  <Checkbox
                    key={channel.id}
                    value={channel.id}
                    label={`${channel.name} (${channel.platform === 'x' ? 'X' : 'Facebook'})`}
                  />
                ))}
              </Group>
            </Checkbox.Group>
            <ChannelTexts form={form} channels={channels.data} />
            {chosen.some((channel) => channel.platform === 'x') && <ThreadEditor form={form} />}
            <MediaPicker form={form} previews={previews} />
            <Group align="flex-start" grow>
              <DateTimePicker
                label={t('posts.compose.when')}
                description={t('posts.compose.whenHint')}
                valueFormat="DD/MM/YYYY HH:mm"
                clearable
                {...form.getInputProps('scheduledAt')}
              />
              <Select
                label={t('posts.compose.timeZone')}
                data={zones}
                searchable
                allowDeselect={false}
                {...form.getInputProps('timeZone')}
              />
            </Group>
            {tooLong && (
              <Text size="sm" c="red.9" id="too-long" role="status">
                {t('posts.compose.tooLong')}
              </Text>
            )}
            <Group>
              <Button
                type="submit"
                disabled={tooLong}
                aria-describedby={tooLong ? 'too-long' : undefined}
                loading={form.submitting}
              >
                {t('posts.compose.submit')}
              </Button>
              <Button variant="default" onClick={() => run(false)()} disabled={tooLong}>
                {t('posts.compose.saveDraft')}
              </Button>
            </Group>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Previews values={values} channels={channels.data} previews={previews} />
        </Grid.Col>
      </Grid>
    </form>
  )
}
