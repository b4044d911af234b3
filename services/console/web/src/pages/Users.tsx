import { useTranslation } from 'react-i18next'
import { Placeholder } from '../components/Placeholder'

export default function UsersPage() {
  const { t } = useTranslation()
  return <Placeholder title={t('nav.users')} />
}
