import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { contacts, ok } from '../api/client'
import { PageHeader } from '../components/PageHeader'
import { SearchList } from '../components/SearchList'
import { personName } from '../queries'

/** People: search as you type; before that, the first people by name. */
export default function PeoplePage() {
  const { t } = useTranslation()
  const list = useQuery({
    queryKey: ['contacts', '/v1/people', { limit: 50 }],
    queryFn: () => ok(contacts.GET('/v1/people', { params: { query: { limit: 50 } } })),
  })
  const items = (list.data?.items ?? []).map((p) => {
    const current = p.affiliations.find((a) => a.current && a.primary) ?? p.affiliations.find((a) => a.current)
    return {
      id: p.id,
      title: personName(p),
      subtitle: [p.jobTitle ?? current?.role, current?.organizationName].filter(Boolean).join(', '),
    }
  })
  return (
    <>
      <PageHeader title={t('nav.people')} />
      <SearchList
        type="person"
        label={t('people.search')}
        path="/people"
        initial={{ items, loading: list.isPending }}
      />
    </>
  )
}
