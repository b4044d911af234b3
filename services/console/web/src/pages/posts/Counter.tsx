import { Group, Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { countFor, type Platform } from './counter'

/** One channel's count as the platform counts it; over the limit it says by how much, in words and colour. */
export function Counter({
  label,
  platform,
  text,
  id,
}: {
  label: string
  platform: Platform
  text: string
  id?: string
}) {
  const { t, i18n } = useTranslation()
  const { used, limit, over } = countFor(platform, text)
  const n = new Intl.NumberFormat(i18n.language)
  return (
    <Group gap={6} id={id} data-testid={`counter-${platform}`} data-over={over}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Text size="sm" c={over ? 'red.9' : undefined} fw={over ? 700 : undefined}>
        {over
          ? t('posts.counter.over', { over: n.format(over), used: n.format(used), limit: n.format(limit) })
          : t('posts.counter.fits', { used: n.format(used), limit: n.format(limit) })}
      </Text>
    </Group>
  )
}
