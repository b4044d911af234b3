import type { Capacity, ListLine } from '../repositories/delegations.ts'

/** The list of participants as CSV: the lines come ordered from the repository (listLines). */
export const listColumns = ['group', 'delegation', 'iso3', 'name', 'function', 'credentials_received_on']
const groupNames: Record<Capacity, string> = {
  state_party: 'States Parties',
  signatory: 'Signatory States',
  observer_state: 'Observer States',
  international_organization: 'Organizations',
  ngo: 'Organizations',
  other: 'Organizations',
}

export const listRow = (l: ListLine) => [
  groupNames[l.capacity],
  l.delegation,
  l.iso3 ?? '',
  l.name,
  l.function,
  l.credentialsReceivedOn ?? '',
]
