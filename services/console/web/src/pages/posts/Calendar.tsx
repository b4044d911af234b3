import { Button, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { statusColour, windowQuery, type Post } from './api'
import { daysOf, sameDay, step, type View } from './calendarGrid'

function Entry({ post }: { post: Post }) {
  const { t, i18n } = useTranslation()
  const navigate = useNavigate()
  const time = new Date(post.scheduledAt!).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' })
  return (
    <UnstyledButton
      onClick={() => navigate(`/posts/${post.id}`)}
      bg={statusColour[post.status]}
      c="dark.9"
      px={4}
      py={2}
      fz="xs"
      style={{
        borderRadius: 4,
        display: 'block',
        width: '100%',
        overflow: 'hidden',
        textOverflow: 'ellipsis',
        whiteSpace: 'nowrap',
      }}
      // The visible text is the name (a screen reader reads it all, ellipsis or not); the title shows it on hover.
      title={post.text}
      data-testid={`calendar-${post.id}`}
      data-status={post.status}
    >
      {time} · {t(`posts.status.${post.status}`)} · {post.text}
    </UnstyledButton>
  )
}

/** Scheduled and published posts by day, a month or a week at a time, coloured by status; lazy-loaded. */
export default function Calendar() {
  const { t, i18n } = useTranslation()
  const [view, setView] = useState<View>('month')
  const [anchor, setAnchor] = useState(() => dayjs())
  const days = daysOf(view, anchor)
  const from = days[0]!.toISOString()
  const to = days[days.length - 1]!.add(1, 'day').toISOString()
  const { data = [] } = useQuery({ ...windowQuery(from, to), placeholderData: keepPreviousData })
  const shown = data.filter((post) => post.scheduledAt && post.status !== 'cancelled')
  const title =
    view === 'month'
      ? anchor.toDate().toLocaleDateString(i18n.language, { month: 'long', year: 'numeric' })
      : t('posts.calendar.weekOf', {
          date: days[0]!.toDate().toLocaleDateString(i18n.language, { dateStyle: 'medium' }),
        })
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={() => setAnchor(step(view, anchor, -1))}>
            {t('posts.calendar.previous')}
          </Button>
          <Button variant="default" size="xs" onClick={() => setAnchor(dayjs())}>
            {t('posts.calendar.today')}
          </Button>
          <Button variant="default" size="xs" onClick={() => setAnchor(step(view, anchor, 1))}>
            {t('posts.calendar.next')}
          </Button>
          <Title order={2} size="h4" aria-live="polite">
            {title}
          </Title>
        </Group>
        <SegmentedControl
          aria-label={t('posts.calendar.view')}
          value={view}
          onChange={(value) => setView(value as View)}
          data={[
            { value: 'month', label: t('posts.calendar.month') },
            { value: 'week', label: t('posts.calendar.week') },
          ]}
        />
      </Group>
      <SimpleGrid cols={7} spacing={4} verticalSpacing={4}>
        {days.slice(0, 7).map((day) => (
          <Text key={day.day()} size="xs" fw={700} ta="center">
            {day.toDate().toLocaleDateString(i18n.language, { weekday: 'short' })}
          </Text>
        ))}
        {days.map((day) => {
          const outside = view === 'month' && day.month() !== anchor.month()
          const today = day.isSame(dayjs(), 'day')
          return (
            <Paper
              key={day.toISOString()}
              withBorder
              p={4}
              mih={view === 'week' ? 320 : 96}
              bg={outside ? 'gray.1' : undefined}
              style={today ? { borderColor: 'var(--mantine-color-blue-8)', borderWidth: 2 } : undefined}
              aria-label={day.toDate().toLocaleDateString(i18n.language, { dateStyle: 'full' })}
              role="group"
            >
              <Text size="xs" fw={today ? 700 : 400} mb={2}>
                {day.date()}
              </Text>
              <Stack gap={2}>
                {shown
                  .filter((post) => sameDay(day, post.scheduledAt!))
                  .map((post) => (
                    <Entry key={post.id} post={post} />
                  ))}
              </Stack>
            </Paper>
          )
        })}
      </SimpleGrid>
    </Stack>
  )
}
