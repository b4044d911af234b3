/** The campaigns pages' own routes, under /campaigns/*: add pages here (each lazily loaded if large). */
import { Route, Routes } from 'react-router'
import { useTranslation } from 'react-i18next'
import { Placeholder } from '../../components/Placeholder'

function CampaignsIndex() {
  const { t } = useTranslation()
  return <Placeholder title={t('nav.campaigns')} />
}

export default function CampaignsRoutes() {
  return (
    <Routes>
      <Route index element={<CampaignsIndex />} />
    </Routes>
  )
}
