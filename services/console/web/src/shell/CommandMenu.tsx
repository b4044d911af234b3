/**
 * The command menu (Ctrl/Cmd+K): go to any page, log a contact, or jump to a state, person or organisation found
 * by the contacts search API as one types (accents and typos forgiven there).
 */
import { useState } from 'react'
import { useNavigate } from 'react-router'
import { Spotlight, spotlight, type SpotlightActionData } from '@mantine/spotlight'
import { useTranslation } from 'react-i18next'
import { useContactSearch } from '../queries'
import { useSession } from '../session'
import { NAV } from './Shell'

export const openCommandMenu = () => spotlight.open()

const PATHS = { state: '/states/', person: '/people/', organization: '/organisations/' } as const

export function CommandMenu({ onLogContact }: { onLogContact: () => void }) {
  const { t } = useTranslation()
  const { can } = useSession()
  const navigate = useNavigate()
  const [query, setQuery] = useState('')
  const { q: debounced, search } = useContactSearch(query, { limit: 8 }, 120)

  const lower = query.trim().toLowerCase()
  const commands: SpotlightActionData[] = [
    ...(can('editor')
      ? [{ id: 'log', label: t('logContact.button'), description: t('logContact.shortcut'), onClick: onLogContact }]
      : []),
    ...[...NAV, ...(can('admin') ? [{ to: '/users', key: 'nav.users' } as const] : [])].map((item) => ({
      id: `go:${item.to}`,
      label: t('command.goTo', { page: t(item.key) }),
      onClick: () => navigate(item.to),
    })),
  ].filter((action) => !lower || String(action.label).toLowerCase().includes(lower))

  const found: SpotlightActionData[] =
    debounced.length >= 2
      ? (search.data?.items ?? []).map((item) => ({
          id: `${item.type}:${item.id}`,
          label: item.title,
          description: [t(`search.types.${item.type}`), item.subtitle].filter(Boolean).join(' · '),
          onClick: () => navigate(`${PATHS[item.type]}${item.id}`),
        }))
      : []

  return (
    <Spotlight
      actions={[
        ...(found.length ? [{ group: t('command.results'), actions: found }] : []),
        ...(commands.length ? [{ group: t('command.commands'), actions: commands }] : []),
      ]}
      // Results come filtered by the API; commands are filtered above.
      filter={(_query, actions) => actions}
      query={query}
      onQueryChange={setQuery}
      nothingFound={t('command.nothingFound')}
      scrollable
      maxHeight={420}
      searchProps={{ placeholder: t('command.placeholder'), 'aria-label': t('command.placeholder') }}
      // The dialog has no visible title: its name goes on the dialog element itself.
      attributes={{ content: { 'aria-label': t('command.open') } }}
    />
  )
}
