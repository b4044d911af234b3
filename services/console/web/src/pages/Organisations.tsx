import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { contacts, ok } from '../api/client'
import { PageHeader } from '../components/PageHeader'
import { SearchList } from '../components/SearchList'

/** Organisations: search as you type; before that, the first ones by name. */
export default function OrganisationsPage() {
  const { t } = useTranslation()
  const list = useQuery({
    queryKey: ['contacts', '/v1/organizations', { limit: 50 }],
    queryFn: () => ok(contacts.GET('/v1/organizations', { params: { query: { limit: 50 } } })),
  })
  const items = (list.data?.items ?? []).map((o) => ({
    id: o.id,
    title: o.name,
    subtitle: [t(`organisations.types.${o.type}`), o.country].filter(Boolean).join(' · '),
  }))
  return (
    <>
      <PageHeader title={t('nav.organisations')} />
      <SearchList
        type="organization"
        label={t('organisations.search')}
        path="/organisations"
        initial={{ items, loading: list.isPending }}
      />
    </>
  )
}
