import { Anchor, Badge, Button, Stack, Table, Text, TextInput } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useSession } from '../../session'
import { campaignsList } from './api'
import { PageHeader } from '../../components/PageHeader'

/** Every campaign, newest first, searchable by name. */
export default function CampaignsPage() {
  const { t, i18n } = useTranslation()
  const session = useSession()
  const [q, setQ] = useState('')
  const [search] = useDebouncedValue(q.trim(), 200)
  const { data } = useQuery({ ...campaignsList(search), placeholderData: keepPreviousData })
  const date = (d: string | null) => (d ? new Date(`${d}T12:00:00`).toLocaleDateString(i18n.language) : '')
  return (
    <Stack>
      <PageHeader
        title={t('campaigns.title')}
        actions={
          session.can('editor') && (
            <Button component={Link} to="/campaigns/new">
              {t('campaigns.new.button')}
            </Button>
          )
        }
      />
      <TextInput
        label={t('campaigns.search')}
        value={q}
        onChange={(event) => setQ(event.currentTarget.value)}
        w={320}
      />
      {data && data.items.length === 0 ? (
        <Text>{t('campaigns.none')}</Text>
      ) : (
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('campaigns.fields.name')}</Table.Th>
              <Table.Th>{t('campaigns.fields.status')}</Table.Th>
              <Table.Th>{t('campaigns.fields.owner')}</Table.Th>
              <Table.Th>{t('campaigns.fields.dates')}</Table.Th>
              <Table.Th>{t('campaigns.fields.goal')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/campaigns/${c.id}`} fw={600}>
                    {c.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge variant="default">{t(`campaigns.status.${c.status}`)}</Badge>
                </Table.Td>
                <Table.Td>{c.owner}</Table.Td>
                <Table.Td>{[date(c.startsOn), date(c.endsOn)].filter(Boolean).join(' – ')}</Table.Td>
                <Table.Td>
                  {c.goal
                    ? t('campaigns.goalShort', { target: c.goal.target, stage: t(`campaigns.stage.${c.goal.metric}`) })
                    : ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}
