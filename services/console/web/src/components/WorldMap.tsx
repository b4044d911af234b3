/**
 * The world coloured by treaty status (world-atlas 110m, Natural Earth's shapes; numeric ids mapped to ISO3 with
 * i18n-iso-countries). Each state is a link to its page. States too small to draw at this scale (island states of
 * the Pacific and the Caribbean, Andorra, Liechtenstein…) are listed beside the map with a dot of their colour.
 * The drawing is decorative to screen readers: the legend and the list below it say the same in text, and link.
 */
import { useEffect, useMemo, useState } from 'react'
import { Anchor, Badge, Box, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { geoEqualEarth, geoPath } from 'd3-geo'
import { feature } from 'topojson-client'
import type { FeatureCollection, Geometry } from 'geojson'
import type { GeometryCollection, Topology } from 'topojson-specification'
import { numericToAlpha3 } from 'i18n-iso-countries'
import { Link, useNavigate } from 'react-router'
import { useTranslation } from 'react-i18next'
import { STATUS_COLORS } from './StatusBadge'
import { STATUSES, type State } from '../queries'

type Countries = FeatureCollection<Geometry, { name: string }>
const WIDTH = 960
const HEIGHT = 470

const colorOf = (s: State) => (s.withdrawalPending ? STATUS_COLORS.withdrawal_pending : STATUS_COLORS[s.status])

export function WorldMap({ states }: { states: State[] }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [countries, setCountries] = useState<Countries | null>(null)
  useEffect(() => {
    // The shapes are 100 KB: fetched as a chunk of their own, after the page's first paint.
    void import('world-atlas/countries-110m.json').then((m) => {
      // The JSON import is untyped: world-atlas's countries-110m is this TopoJSON topology.
      const topology = m.default as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>
      setCountries(feature(topology, topology.objects.countries) as Countries)
    })
  }, [])
  const byIso3 = useMemo(() => new Map(states.map((s) => [s.iso3, s])), [states])
  const shapes = useMemo(() => {
    if (!countries) return []
    const projection = geoEqualEarth().fitSize([WIDTH, HEIGHT], countries)
    const path = geoPath(projection)
    return countries.features.flatMap((f) => {
      const iso3 = f.id === undefined ? undefined : numericToAlpha3(String(f.id))
      const d = path(f)
      return d ? [{ iso3, d, name: f.properties.name, state: iso3 ? byIso3.get(iso3) : undefined }] : []
    })
  }, [countries, byIso3])
  const drawn = new Set(shapes.map((s) => s.iso3))
  const small = countries ? states.filter((s) => !drawn.has(s.iso3)) : []
  const counts = Object.fromEntries(STATUSES.map((s) => [s, states.filter((x) => x.status === s).length]))
  const pending = states.filter((s) => s.withdrawalPending).length

  return (
    <Stack gap="xs">
      <Box style={{ position: 'relative' }}>
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          width="100%"
          aria-hidden="true"
          style={{ display: 'block', background: 'var(--mantine-color-gray-0)', borderRadius: 8 }}
        >
          {shapes.map((s, i) => (
            <path
              key={`${s.iso3 ?? s.name}-${i}`}
              d={s.d}
              fill={s.state ? colorOf(s.state) : '#e9ecef'}
              stroke="#fff"
              strokeWidth={0.5}
              style={{ cursor: s.state ? 'pointer' : 'default' }}
              onClick={() => s.state && navigate(`/states/${s.state.iso3}`)}
            >
              <title>{s.state ? `${s.state.name}: ${t(`status.${s.state.status}`)}` : s.name}</title>
            </path>
          ))}
        </svg>
      </Box>
      <Group gap="md" role="list" aria-label={t('dashboard.legend')}>
        {STATUSES.map((s) => (
          <Group key={s} gap={6} role="listitem">
            <Box w={12} h={12} style={{ borderRadius: 3, background: STATUS_COLORS[s] }} />
            <Anchor component={Link} to={`/states?status=${s}`} size="sm">
              {t(`status.${s}`)} ({counts[s]})
            </Anchor>
          </Group>
        ))}
        {pending > 0 && (
          <Group gap={6} role="listitem">
            <Box w={12} h={12} style={{ borderRadius: 3, background: STATUS_COLORS.withdrawal_pending }} />
            <Text size="sm">
              {t('status.withdrawal_pending')} ({pending})
            </Text>
          </Group>
        )}
      </Group>
      {small.length > 0 && (
        <Box>
          <Title order={3} size="h6" mb={4}>
            {t('dashboard.smallStates')}
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 4, lg: 6 }} spacing={4} verticalSpacing={2}>
            {small.map((s) => (
              <Group key={s.iso3} gap={4} wrap="nowrap">
                <Box w={8} h={8} style={{ borderRadius: 8, background: colorOf(s), flex: 'none' }} />
                <Anchor
                  component={Link}
                  to={`/states/${s.iso3}`}
                  size="xs"
                  aria-label={`${s.name}: ${t(`status.${s.status}`)}`}
                >
                  {s.name}
                </Anchor>
              </Group>
            ))}
          </SimpleGrid>
        </Box>
      )}
      <Badge variant="transparent" p={0} c="dimmed" tt="none" fw={400}>
        {t('dashboard.mapHint')}
      </Badge>
    </Stack>
  )
}
