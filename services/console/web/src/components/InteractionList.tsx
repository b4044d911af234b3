/**
 * Interactions as a timeline: newest first, each with its kind, when, who took part, the summary, the notes (or
 * "restricted" when the reader may not see them) and its follow-up. Names of people and organisations are fetched
 * once each and cached.
 */
import { Anchor, Badge, Group, Paper, Stack, Text, Timeline } from '@mantine/core'
import { useQueries } from '@tanstack/react-query'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { contacts, ok } from '../api/client'
import { formatDate, formatDateTime } from '../format'
import { personName, type Interaction } from '../queries'

function usePeopleNames(ids: string[]): Map<string, string> {
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['contacts', '/v1/people/{id}', { id }],
      queryFn: () => ok(contacts.GET('/v1/people/{id}', { params: { path: { id } } })),
      staleTime: 5 * 60_000,
    })),
  })
  const names = new Map<string, string>()
  results.forEach((r, i) => r.data && names.set(ids[i]!, personName(r.data)))
  return names
}

export function InteractionList({ items }: { items: Interaction[] }) {
  const { t } = useTranslation()
  const names = usePeopleNames([...new Set(items.flatMap((i) => i.people))])
  if (!items.length) return <Text c="dimmed">{t('interactions.none')}</Text>
  return (
    <Timeline bulletSize={14} lineWidth={2}>
      {items.map((item) => (
        <Timeline.Item
          key={item.id}
          title={
            <Group gap="xs">
              <Badge variant="light" size="sm">
                {t(`interactions.kinds.${item.kind}`)}
              </Badge>
              <Text fw={600} size="sm">
                {item.summary}
              </Text>
            </Group>
          }
        >
          <Stack gap={4} mt={4}>
            <Text size="xs" c="dimmed">
              {formatDateTime(item.occurredAt)} · {t('interactions.by', { author: item.author })}
            </Text>
            {item.people.length > 0 && (
              <Text size="sm">
                {t('interactions.with')}{' '}
                {item.people.map((id, n) => (
                  <span key={id}>
                    {n > 0 && ', '}
                    <Anchor component={Link} to={`/people/${id}`}>
                      {names.get(id) ?? '…'}
                    </Anchor>
                  </span>
                ))}
              </Text>
            )}
            {item.notesRestricted ? (
              <Text size="sm" c="dimmed" fs="italic">
                {t('interactions.notesRestricted')}
              </Text>
            ) : (
              item.notes && (
                <Paper withBorder p="xs" bg="gray.0">
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {item.notes}
                  </Text>
                </Paper>
              )
            )}
            {item.followUp && (
              <Text size="sm">
                <Badge size="xs" color={item.followUp.done ? 'green' : item.followUp.overdue ? 'red' : 'yellow'} mr={6}>
                  {t(
                    item.followUp.done
                      ? 'followUps.done'
                      : item.followUp.overdue
                        ? 'followUps.overdue'
                        : 'followUps.open',
                  )}
                </Badge>
                {t('followUps.line', { date: formatDate(item.followUp.dueOn), assignee: item.followUp.assignee })}
              </Text>
            )}
          </Stack>
        </Timeline.Item>
      ))}
    </Timeline>
  )
}
