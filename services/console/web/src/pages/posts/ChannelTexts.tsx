import { Checkbox, Stack, Tabs, Textarea } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import type { Channel } from './api'
import type { ComposeValues } from './composeForm'
import { Counter } from './Counter'
import { textFor } from './counter'

const platformName = (platform: Channel['platform']) => (platform === 'x' ? 'X' : 'Facebook')

/**
 * The post's text, and a tab per chosen channel where it may diverge (its variant). Each channel's counter sits
 * under the text it counts, so the person typing sees at once which channel a sentence is too long for.
 */
export function ChannelTexts({ form, channels }: { form: UseFormReturnType<ComposeValues>; channels: Channel[] }) {
  const { t } = useTranslation()
  const values = form.getValues()
  const chosen = channels.filter((channel) => values.channels.includes(channel.id))
  const toggle = (channel: Channel, own: boolean) => {
    const variants = { ...values.variants }
    if (own) variants[channel.id] = { text: values.text }
    else delete variants[channel.id]
    form.setFieldValue('variants', variants)
  }
  return (
    <Tabs defaultValue="all" keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="all">{t('posts.compose.allChannels')}</Tabs.Tab>
        {chosen.map((channel) => (
          <Tabs.Tab key={channel.id} value={channel.id}>
            {channel.name} ({platformName(channel.platform)})
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <Tabs.Panel value="all" pt="sm">
        <Stack gap={6}>
          <Textarea
            label={t('posts.compose.text')}
            description={t('posts.compose.textHint')}
            autosize
            minRows={4}
            aria-describedby="counters-all"
            {...form.getInputProps('text')}
          />
          <Stack gap={2} id="counters-all">
            {chosen.map((channel) => (
              <Counter
                key={channel.id}
                label={`${channel.name} (${platformName(channel.platform)})`}
                platform={channel.platform}
                text={textFor(values, channel.id)}
              />
            ))}
          </Stack>
        </Stack>
      </Tabs.Panel>
      {chosen.map((channel) => {
        const own = values.variants[channel.id] !== undefined
        return (
          <Tabs.Panel key={channel.id} value={channel.id} pt="sm">
            <Stack gap={6}>
              <Checkbox
                label={t('posts.compose.ownText', { channel: channel.name })}
                checked={own}
                onChange={(event) => toggle(channel, event.currentTarget.checked)}
              />
              {own && (
                <Textarea
                  label={t('posts.compose.variant', { channel: channel.name })}
                  autosize
                  minRows={4}
                  {...form.getInputProps(`variants.${channel.id}.text`)}
                />
              )}
              <Counter label={channel.name} platform={channel.platform} text={textFor(values, channel.id)} />
            </Stack>
          </Tabs.Panel>
        )
      })}
    </Tabs>
  )
}
