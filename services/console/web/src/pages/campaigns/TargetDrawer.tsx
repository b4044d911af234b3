import { Badge, Drawer, Group, Loader, Stack, Text, Timeline } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { contacts, ok } from '../../api/client'
import { targetQuery } from './api'

/** The interaction a transition rests on, read from contacts (its kind, date and summary). */
function Evidence({ id }: { id: string }) {
  const { t, i18n } = useTranslation()
  const { data, isError } = useQuery({
    queryKey: ['contacts', 'interactions', id],
    queryFn: () => ok(contacts.GET('/v1/interactions/{id}', { params: { path: { id } } })),
    staleTime: 60_000,
  })
  if (isError) return <Text size="xs">{t('campaigns.drawer.evidenceUnavailable')}</Text>
  if (!data) return <Loader size="xs" aria-label={t('campaigns.loading')} />
  return (
    <Text size="xs" data-testid="evidence">
      {t('campaigns.drawer.evidence', {
        kind: t(`campaigns.kind.${data.kind}`, { defaultValue: data.kind }),
        date: new Date(data.occurredAt).toLocaleDateString(i18n.language),
        summary: data.summary,
      })}
    </Text>
  )
}

/** A target's record: its stage, last contact and every transition with who or what moved it, and why. */
export function TargetDrawer({
  campaignId,
  iso3,
  onClose,
}: {
  campaignId: string
  iso3: string | null
  onClose: () => void
}) {
  const { t, i18n } = useTranslation()
  const { data } = useQuery({ ...targetQuery(campaignId, iso3 ?? ''), enabled: iso3 !== null })
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <Drawer opened={iso3 !== null} onClose={onClose} position="right" size="md" title={data?.name ?? iso3}>
      {!data ? (
        <Loader aria-label={t('campaigns.loading')} />
      ) : (
        <Stack gap="md">
          <Group gap="xs">
            <Badge variant="filled">{t(`campaigns.stage.${data.stage}`)}</Badge>
            <Text size="sm">{t('campaigns.drawer.since', { date: when(data.stageSince) })}</Text>
          </Group>
          <Text size="sm">
            {data.lastContact
              ? t('campaigns.board.lastContact', {
                  kind: t(`campaigns.kind.${data.lastContact.kind}`, { defaultValue: data.lastContact.kind }),
                  date: when(data.lastContact.at),
                })
              : t('campaigns.board.noContact')}
          </Text>
          <Timeline
            active={data.transitions.length - 1}
            bulletSize={14}
            lineWidth={2}
            aria-label={t('campaigns.drawer.history')}
          >
            {[...data.transitions].reverse().map((step) => (
              <Timeline.Item
                key={step.id}
                title={
                  step.from
                    ? t('campaigns.drawer.moved', {
                        from: t(`campaigns.stage.${step.from}`),
                        to: t(`campaigns.stage.${step.to}`),
                      })
                    : t('campaigns.drawer.added', { to: t(`campaigns.stage.${step.to}`) })
                }
              >
                <Text size="xs">
                  {when(step.at)} · {step.by ?? t('campaigns.drawer.byEvent')}
                </Text>
                {step.reason && <Text size="sm">{step.reason}</Text>}
                {step.evidenceInteractionId && <Evidence id={step.evidenceInteractionId} />}
              </Timeline.Item>
            ))}
          </Timeline>
        </Stack>
      )}
    </Drawer>
  )
}
