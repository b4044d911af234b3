import { Button, CloseButton, Group, Stack, Text, Textarea } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import type { ComposeValues } from './composeForm'
import { Counter } from './Counter'

const MAX_THREAD = 24

/** Further posts of an X thread, each a reply to the one before and counted on its own (X's 280). */
export function ThreadEditor({ form }: { form: UseFormReturnType<ComposeValues> }) {
  const { t } = useTranslation()
  const { thread } = form.getValues()
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        {t('posts.compose.thread')}
      </Text>
      {thread.map((_, i) => (
        <Stack key={i} gap={2}>
          <Group align="flex-start" gap="xs" wrap="nowrap">
            <Textarea
              label={t('posts.compose.threadPart', { n: i + 2 })}
              autosize
              minRows={2}
              style={{ flex: 1 }}
              {...form.getInputProps(`thread.${i}`)}
            />
            <CloseButton
              mt={24}
              aria-label={t('posts.compose.removePart', { n: i + 2 })}
              onClick={() => form.removeListItem('thread', i)}
            />
          </Group>
          <Counter label="X" platform="x" text={thread[i] ?? ''} />
        </Stack>
      ))}
      {thread.length < MAX_THREAD && (
        <Button variant="default" size="xs" w="fit-content" onClick={() => form.insertListItem('thread', '')}>
          {t('posts.compose.addPart')}
        </Button>
      )}
    </Stack>
  )
}
