/**
 * The frame of every page: a header (the command menu, "Log contact", the user and sign-out) and a navbar
 * (Dashboard, States, People, Organisations, Campaigns, Posts; Users for admins). Keyboard: Ctrl/Cmd+K opens the
 * command menu, L opens "Log contact" (outside text fields), G then D/S/P/O/C/T goes to a page.
 */
import { lazy, Suspense, useCallback, useMemo, useRef, useState } from 'react'
import { NavLink as RouterNavLink, Outlet, useLocation, useNavigate } from 'react-router'
import {
  AppShell,
  Burger,
  Button,
  Group,
  Kbd,
  Menu,
  NavLink,
  Text,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core'
import { useDisclosure, useHotkeys } from '@mantine/hooks'
import { useTranslation } from 'react-i18next'
import { useSession } from '../session'
import { useLiveInvalidation } from '../live'
import { CommandMenu, openCommandMenu } from './CommandMenu'
import { LogContactContext, type LogContactApi, type LogContactPrefill } from './log-contact-context'

// The form is code that only editors open, and not on every visit: its own chunk.
const LogContactModal = lazy(() => import('./LogContactModal'))

export const NAV = [
  { to: '/', key: 'nav.dashboard', hotkey: 'd' },
  { to: '/states', key: 'nav.states', hotkey: 's' },
  { to: '/people', key: 'nav.people', hotkey: 'p' },
  { to: '/organisations', key: 'nav.organisations', hotkey: 'o' },
  { to: '/campaigns', key: 'nav.campaigns', hotkey: 'c' },
  { to: '/posts', key: 'nav.posts', hotkey: 't' },
] as const

export function Shell() {
  const { t } = useTranslation()
  const { user, can, signOut } = useSession()
  const [navOpen, nav] = useDisclosure(false)
  const navigate = useNavigate()
  const location = useLocation()
  useLiveInvalidation()

  const [logOpen, setLogOpen] = useState<LogContactPrefill | null>(null)
  const pagePrefill = useRef<LogContactPrefill | null>(null)
  const setPagePrefill = useCallback((prefill: LogContactPrefill | null) => {
    pagePrefill.current = prefill
  }, [])
  const logContact = useMemo<LogContactApi>(
    () => ({
      openLogContact: (prefill) => {
        if (can('editor')) setLogOpen(prefill ?? pagePrefill.current ?? {})
      },
      setPagePrefill,
    }),
    [can, setPagePrefill],
  )

  const goPending = useRef(0)
  useHotkeys([
    ['l', () => logContact.openLogContact()],
    ['g', () => (goPending.current = Date.now())],
    ...NAV.map(
      (item) =>
        [
          item.hotkey,
          () => {
            if (Date.now() - goPending.current < 1500) navigate(item.to)
            goPending.current = 0
          },
        ] as [string, () => void],
    ),
  ])

  const items = [...NAV, ...(can('admin') ? [{ to: '/users', key: 'nav.users', hotkey: '' } as const] : [])]
  return (
    <LogContactContext.Provider value={logContact}>
      <AppShell
        padding="md"
        header={{ height: 56 }}
        navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
              <Title order={1} size="h4">
                {t('app.name')}
              </Title>
            </Group>
            <Group gap="sm" wrap="nowrap">
              <Tooltip label={<Kbd size="xs">Ctrl K</Kbd>}>
                <Button variant="default" onClick={openCommandMenu} aria-keyshortcuts="Control+K Meta+K">
                  {t('command.open')}
                </Button>
              </Tooltip>
              {can('editor') && (
                <Tooltip label={t('logContact.shortcut')}>
                  <Button onClick={() => logContact.openLogContact()} aria-keyshortcuts="L">
                    {t('logContact.button')}
                  </Button>
                </Tooltip>
              )}
              <Menu position="bottom-end">
                <Menu.Target>
                  <UnstyledButton title={t('user.menu', { name: user.displayName })}>
                    <Text size="sm" fw={500}>
                      {user.displayName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t(`roles.${user.role}`)}
                    </Text>
                  </UnstyledButton>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={() => navigate('/account')}>{t('user.changePassword')}</Menu.Item>
                  <Menu.Item onClick={() => void signOut()}>{t('user.signOut')}</Menu.Item>
                </Menu.Dropdown>
              </Menu>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label={t('nav.label')}>
          {items.map((item) => (
            <NavLink
              key={item.to}
              component={RouterNavLink}
              to={item.to}
              end={item.to === '/'}
              label={t(item.key)}
              active={item.to === '/' ? location.pathname === '/' : location.pathname.startsWith(item.to)}
              onClick={nav.close}
            />
          ))}
        </AppShell.Navbar>
        <AppShell.Main>
          <Outlet />
        </AppShell.Main>
      </AppShell>
      <CommandMenu onLogContact={() => logContact.openLogContact()} />
      {logOpen && (
        <Suspense fallback={null}>
          <LogContactModal prefill={logOpen} onClose={() => setLogOpen(null)} />
        </Suspense>
      )}
    </LogContactContext.Provider>
  )
}
