/** The campaigns pages' own routes, under /campaigns/*, each its own chunk. */
import { lazy } from 'react'
import { Route, Routes } from 'react-router'

const CampaignsPage = lazy(() => import('./CampaignsPage'))
const NewCampaignPage = lazy(() => import('./NewCampaignPage'))
const CampaignPage = lazy(() => import('./CampaignPage'))

export default function CampaignsRoutes() {
  return (
    <Routes>
      <Route index element={<CampaignsPage />} />
      <Route path="new" element={<NewCampaignPage />} />
      <Route path=":id" element={<CampaignPage />} />
    </Routes>
  )
}
