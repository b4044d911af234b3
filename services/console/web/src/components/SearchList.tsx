/**
 * Search as you type over the contacts search API (accents and typos forgiven there), lightly debounced, with the
 * keyboard: ↓/↑ move through the results, Enter opens the one highlighted. Before anything is typed, `initial`
 * lists what the page shows by default.
 */
import { useState, type KeyboardEvent, type ReactNode } from 'react'
import { Anchor, Loader, Paper, Stack, Text, TextInput } from '@mantine/core'
import { Link, useNavigate } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useContactSearch } from '../queries'

export interface ListItem {
  id: string
  title: string
  subtitle?: string | null
}

export function SearchList({
  type,
  label,
  path,
  initial,
}: {
  type: 'person' | 'organization'
  label: string
  path: string
  initial: { items: ListItem[]; loading: boolean; footer?: ReactNode }
}) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [q, setQ] = useState('')
  const { q: debounced, search } = useContactSearch(q, { type, limit: 25 }, 60)
  const [active, setActive] = useState(0)
  const searching = debounced.length >= 2
  const items: ListItem[] = searching ? (search.data?.items ?? []) : initial.items
  const listId = `${type}-results`

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, items.length - 1))
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0))
    else if (e.key === 'Enter' && items[active]) navigate(`${path}/${items[active].id}`)
    else return
    e.preventDefault()
  }

  return (
    <Stack gap="sm">
      <TextInput
        label={label}
        value={q}
        onChange={(e) => {
          setQ(e.currentTarget.value)
          setActive(0)
        }}
        onKeyDown={onKeyDown}
        autoFocus
        role="combobox"
        aria-expanded={items.length > 0}
        aria-controls={listId}
        aria-activedescendant={items[active] ? `${listId}-${active}` : undefined}
        aria-autocomplete="list"
        rightSection={(searching ? search.isFetching : initial.loading) ? <Loader size="xs" /> : null}
        description={t('search.keyboardHint')}
      />
      <Paper withBorder>
        <Stack gap={0} id={listId} role="listbox" aria-label={label}>
          {items.map((item, i) => (
            <Anchor
              key={item.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              component={Link}
              to={`${path}/${item.id}`}
              underline="never"
              c="inherit"
              px="md"
              py={8}
              bg={i === active ? 'blue.0' : undefined}
              onMouseEnter={() => setActive(i)}
              style={{ borderBottom: '1px solid var(--mantine-color-gray-2)', display: 'block' }}
            >
              <Text size="sm" fw={600}>
                {item.title}
              </Text>
              {item.subtitle && (
                <Text size="xs" c="dimmed">
                  {item.subtitle}
                </Text>
              )}
            </Anchor>
          ))}
        </Stack>
        {items.length === 0 && !(searching ? search.isFetching : initial.loading) && (
          <Text c="dimmed" p="md" size="sm">
            {t('command.nothingFound')}
          </Text>
        )}
      </Paper>
      {!searching && initial.footer}
    </Stack>
  )
}
