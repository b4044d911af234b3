import { Avatar, Card, Group, Image, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { Fragment } from 'react'
import { useTranslation } from 'react-i18next'
import type { Channel } from './api'
import type { ComposeValues } from './composeForm'
import { textFor } from './counter'

const URL_PATTERN = /(https?:\/\/\S+)/g

/** Text as the platforms show it: links coloured (X shortens them, which its count already allows for). */
function Rich({ text }: { text: string }) {
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {text.split(URL_PATTERN).map((part, i) =>
        i % 2 ? (
          <Text key={i} span c="blue.8">
            {part.length > 32 ? `${part.replace(/^https?:\/\//, '').slice(0, 27)}…` : part}
          </Text>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </Text>
  )
}

function Images({ ids, previews }: { ids: string[]; previews: Map<string, string> }) {
  const shown = ids.map((id) => previews.get(id)).filter((src): src is string => Boolean(src))
  if (shown.length === 0) return null
  return (
    <SimpleGrid cols={shown.length > 1 ? 2 : 1} spacing={2}>
      {shown.map((src) => (
        <Image key={src} src={src} alt="" h={100} fit="cover" radius="sm" />
      ))}
    </SimpleGrid>
  )
}

/** How each chosen channel will show the post: X with its thread below, Facebook as one post. */
export function Previews({
  values,
  channels,
  previews,
}: {
  values: ComposeValues
  channels: Channel[]
  previews: Map<string, string>
}) {
  const { t } = useTranslation()
  const chosen = channels.filter((channel) => values.channels.includes(channel.id))
  return (
    <Stack gap="sm" aria-label={t('posts.preview.title')} component="section">
      <Title order={2} size="h4">
        {t('posts.preview.title')}
      </Title>
      {chosen.length === 0 && <Text size="sm">{t('posts.preview.noChannel')}</Text>}
      {chosen.map((channel) => {
        const parts =
          channel.platform === 'x'
            ? [textFor(values, channel.id), ...values.thread.filter(Boolean)]
            : [textFor(values, channel.id)]
        return (
          <Card key={channel.id} withBorder padding="sm" data-testid={`preview-${channel.platform}`}>
            <Text size="xs" fw={700} mb={6}>
              {channel.platform === 'x' ? t('posts.preview.onX') : t('posts.preview.onFacebook')}
            </Text>
            <Stack gap="sm">
              {parts.map((text, i) => (
                <Group key={i} align="flex-start" wrap="nowrap" gap="xs">
                  <Avatar size="sm" color={channel.platform === 'x' ? 'dark' : 'blue'} alt="">
                    {channel.name.slice(0, 2).toUpperCase()}
                  </Avatar>
                  <Stack gap={4} style={{ flex: 1 }}>
                    <Text size="sm" fw={700}>
                      {channel.name}
                    </Text>
                    <Rich text={text || t('posts.preview.empty')} />
                    {i === 0 && <Images ids={values.media} previews={previews} />}
                  </Stack>
                </Group>
              ))}
            </Stack>
          </Card>
        )
      })}
    </Stack>
  )
}
