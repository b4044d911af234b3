/**
 * Every page, each its own chunk (React.lazy), inside the app shell. Campaigns and posts own their sub-routes
 * (`pages/campaigns/routes.tsx`, `pages/posts/routes.tsx`), so their pages are added there, not here.
 */
import { lazy, Suspense, type ReactNode } from 'react'
import { Route, Routes } from 'react-router'
import { Center, Loader } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { Shell } from './shell/Shell'
import { useSession } from './session'

const DashboardPage = lazy(() => import('./pages/Dashboard'))
const StatesPage = lazy(() => import('./pages/States'))
const StatePage = lazy(() => import('./pages/State'))
const PeoplePage = lazy(() => import('./pages/People'))
const PersonPage = lazy(() => import('./pages/Person'))
const OrganisationsPage = lazy(() => import('./pages/Organisations'))
const OrganisationPage = lazy(() => import('./pages/Organisation'))
const CampaignsRoutes = lazy(() => import('./pages/campaigns/routes'))
const PostsRoutes = lazy(() => import('./pages/posts/routes'))
const UsersPage = lazy(() => import('./pages/Users'))
const AccountPage = lazy(() => import('./pages/Account'))
const NotFoundPage = lazy(() => import('./pages/NotFound'))

function Page({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  return (
    <Suspense
      fallback={
        <Center h={200}>
          <Loader aria-label={t('common.loading')} />
        </Center>
      }
    >
      {children}
    </Suspense>
  )
}

function AdminOnly({ children }: { children: ReactNode }) {
  const { can } = useSession()
  return can('admin') ? children : <NotFoundPage />
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<Page children={<DashboardPage />} />} />
        <Route path="states" element={<Page children={<StatesPage />} />} />
        <Route path="states/:iso3" element={<Page children={<StatePage />} />} />
        <Route path="people" element={<Page children={<PeoplePage />} />} />
        <Route path="people/:id" element={<Page children={<PersonPage />} />} />
        <Route path="organisations" element={<Page children={<OrganisationsPage />} />} />
        <Route path="organisations/:id" element={<Page children={<OrganisationPage />} />} />
        <Route path="campaigns/*" element={<Page children={<CampaignsRoutes />} />} />
        <Route path="posts/*" element={<Page children={<PostsRoutes />} />} />
        <Route path="users" element={<Page children={<AdminOnly children={<UsersPage />} />} />} />
        <Route path="account" element={<Page children={<AccountPage />} />} />
        <Route path="*" element={<Page children={<NotFoundPage />} />} />
      </Route>
    </Routes>
  )
}
