/**
 * What the new-campaign form holds, under the API's field names (`filter.status`, `iso3`, `goal.target`), so
 * that a 400's invalidParams land on the field they name.
 */
export const treatyStatuses = ['state_party', 'signatory', 'withdrawn', 'not_signed'] as const
export const regions = ['African', 'Asia-Pacific', 'Eastern European', 'GRULAC', 'WEOG'] as const
export const metrics = ['contacted', 'engaged', 'considering', 'committed', 'joined', 'in_force'] as const

export interface CampaignValues {
  name: string
  objective: string
  description: string
  owner: string
  startsOn: string | null
  endsOn: string | null
  status: 'planned' | 'active'
  staleAfterDays: number | string
  goal: { metric: (typeof metrics)[number] | null; target: number | string }
  mode: 'filter' | 'hand'
  filter: { status: (typeof treatyStatuses)[number] | null; region: (typeof regions)[number] | null }
  iso3: string[]
}

export const initialValues = (owner: string): CampaignValues => ({
  name: '',
  objective: '',
  description: '',
  owner,
  startsOn: null,
  endsOn: null,
  status: 'active',
  staleAfterDays: 90,
  goal: { metric: null, target: '' },
  mode: 'filter',
  filter: { status: null, region: null },
  iso3: [],
})
