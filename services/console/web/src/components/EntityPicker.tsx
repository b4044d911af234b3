/**
 * Picking people or organisations by typing: a MultiSelect whose options come from the contacts search API as one
 * types (accents and typos forgiven there), keeping the labels of what is already chosen. `onCreate` adds a
 * "Create …" option for a name that is not found (a new person, met just now).
 */
import { useState } from 'react'
import { MultiSelect, type MultiSelectProps } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { useContactSearch } from '../queries'

export interface Picked {
  id: string
  name: string
}

const CREATE = '__create__'

export function EntityPicker({
  type,
  value,
  onChange,
  onCreate,
  ...props
}: {
  type: 'person' | 'organization'
  value: Picked[]
  onChange: (value: Picked[]) => void
  onCreate?: (name: string) => void
} & Omit<MultiSelectProps, 'value' | 'onChange' | 'data'>) {
  const { t } = useTranslation()
  const [search, setSearch] = useState('')
  const { q, search: found } = useContactSearch(search, { type, limit: 8 }, 80)
  const options = new Map<string, string>()
  for (const p of value) options.set(p.id, p.name)
  if (q.length >= 2)
    for (const item of found.data?.items ?? [])
      options.set(item.id, item.subtitle ? `${item.title} · ${item.subtitle}` : item.title)
  const data = [...options].map(([id, label]) => ({ value: id, label }))
  if (onCreate && search.trim().length >= 2)
    data.push({ value: CREATE, label: t('logContact.createPerson', { name: search.trim() }) })

  return (
    <MultiSelect
      {...props}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // The API has filtered and ranked the options already.
      filter={({ options }) => options}
      data={data}
      value={value.map((p) => p.id)}
      onChange={(ids) => {
        if (ids.includes(CREATE)) {
          onCreate?.(search.trim())
          setSearch('')
          return
        }
        onChange(ids.map((id) => ({ id, name: (options.get(id) ?? id).split(' · ')[0]! })))
        setSearch('')
      }}
      nothingFoundMessage={q.length >= 2 && !found.isFetching ? t('command.nothingFound') : undefined}
      hidePickedOptions
    />
  )
}
