import { useTranslation } from 'react-i18next'
import { PageHeader } from '../components/PageHeader'
import { ChangePasswordForm } from './ChangePassword'

export default function AccountPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('password.title')} />
      <ChangePasswordForm />
    </>
  )
}
