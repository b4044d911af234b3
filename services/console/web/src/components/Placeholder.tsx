import { Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { PageHeader } from './PageHeader'

/** A page not built yet: its title, and a line saying so. */
export function Placeholder({ title }: { title: string }) {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={title} />
      <Text c="dimmed">{t('common.comingSoon')}</Text>
    </>
  )
}
