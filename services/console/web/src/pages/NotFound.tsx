import { Anchor, Text } from '@mantine/core'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '../components/PageHeader'

export default function NotFoundPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <Text>
        {t('notFound.body')}{' '}
        <Anchor component={Link} to="/">
          {t('nav.dashboard')}
        </Anchor>
      </Text>
    </>
  )
}
