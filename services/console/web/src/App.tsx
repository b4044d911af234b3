/**
 * The app's root: Mantine (theme, notifications), TanStack Query, i18n and the router. Until a session is known it
 * shows sign-in; a user who must change their password sees only that form; an expired session shows sign-in over
 * the page, which stays mounted so nothing typed is lost.
 */
import { MantineProvider, Center, Loader } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { ModalsProvider } from '@mantine/modals'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { BrowserRouter } from 'react-router'
import { I18nextProvider } from 'react-i18next'
import i18n from './i18n'
import { cssVariablesResolver, theme } from './theme'
import { useSessionState } from './session'
import { ProblemError } from './api/problem'
import { SignInPage } from './pages/SignIn'
import { ChangePasswordPage } from './pages/ChangePassword'
import { AppRoutes } from './routes'

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A 4xx will not change by asking again; a dropped connection or a 503 may.
      retry: (count, error) => count < 2 && !(error instanceof ProblemError && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
})

function Root() {
  const session = useSessionState()
  if (session.status === 'loading')
    return (
      <Center h="100vh">
        <Loader aria-label={i18n.t('common.loading')} />
      </Center>
    )
  if (session.status === 'signed-out') return <SignInPage />
  if (session.user.mustChangePassword) return <ChangePasswordPage forced />
  return (
    <>
      <AppRoutes />
      {session.status === 'expired' && <SignInPage overlay />}
    </>
  )
}

export function App() {
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
        <Notifications position="top-right" />
        <QueryClientProvider client={queryClient}>
          <ModalsProvider>
            <BrowserRouter>
              <Root />
            </BrowserRouter>
          </ModalsProvider>
        </QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  )
}
