import { Button, CloseButton, FileButton, Group, Image, Paper, Stack, Text, TextInput } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { consoleFetch, ProblemError } from '../../api/client'
import type { ComposeValues } from './composeForm'

const MAX_IMAGES = 4
const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp'

interface Uploaded {
  id: string
  altText: string | null
}

/**
 * Images for the post, uploaded to social's media API as they are chosen, each with the description screen
 * readers will read. Thumbnails of this session's uploads come from the file itself (the API keeps the bytes).
 */
export function MediaPicker({
  form,
  previews,
}: {
  form: UseFormReturnType<ComposeValues>
  previews: Map<string, string>
}) {
  const { t } = useTranslation()
  const [alt, setAlt] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const { media } = form.getValues()

  const upload = async (file: File | null) => {
    if (!file) return
    setBusy(true)
    setError(null)
    try {
      const query = alt.trim() ? `?altText=${encodeURIComponent(alt.trim())}` : ''
      const saved = await consoleFetch<Uploaded>(`/social/v1/media${query}`, {
        method: 'POST',
        body: file,
        headers: { 'content-type': file.type },
      })
      previews.set(saved.id, URL.createObjectURL(file))
      form.insertListItem('media', saved.id)
      setAlt('')
    } catch (e) {
      setError(e instanceof ProblemError ? (e.problem.detail ?? e.message) : String(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        {t('posts.compose.images')}
      </Text>
      <Group gap="xs">
        {media.map((id, i) => (
          <Paper key={id} withBorder p={4} pos="relative">
            {previews.get(id) ? (
              <Image src={previews.get(id)} alt={t('posts.compose.imageAlt', { n: i + 1 })} w={96} h={72} fit="cover" />
            ) : (
              <Text size="xs" w={96} h={72}>
                {t('posts.compose.imageN', { n: i + 1 })}
              </Text>
            )}
            <CloseButton
              size="sm"
              pos="absolute"
              top={2}
              right={2}
              aria-label={t('posts.compose.removeImage', { n: i + 1 })}
              onClick={() => form.removeListItem('media', i)}
            />
          </Paper>
        ))}
      </Group>
      {media.length < MAX_IMAGES && (
        <Group align="flex-end" gap="xs">
          <TextInput
            label={t('posts.compose.altText')}
            description={t('posts.compose.altHint')}
            value={alt}
            onChange={(event) => setAlt(event.currentTarget.value)}
            w={320}
          />
          <FileButton onChange={upload} accept={ACCEPT}>
            {(props) => (
              <Button variant="default" loading={busy} {...props}>
                {t('posts.compose.addImage')}
              </Button>
            )}
          </FileButton>
        </Group>
      )}
      {(error || form.errors.media) && (
        <Text size="sm" c="red.9" role="alert">
          {error ?? form.errors.media}
        </Text>
      )}
    </Stack>
  )
}
