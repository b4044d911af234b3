import type { Capacity, ListLine, MemberFunction } from '../repositories/delegations.ts'
import { delegationCapacities, memberFunctions } from '../repositories/delegations.ts'

const collator = new Intl.Collator('en', { sensitivity: 'base' })
const capacityRank = (c: Capacity) => delegationCapacities.indexOf(c)
const functionRank = (f: MemberFunction) => memberFunctions.indexOf(f)

/**
 * The list of participants in the order the ISU publishes it: States Parties, signatories, observer states, then
 * organisations (international, non-governmental, other); delegations alphabetically by name within each (accents
 * aside: Côte d'Ivoire among the Cs); within a delegation, its head first, then deputies, delegates and advisers.
 */
export function orderList(lines: ListLine[]): ListLine[] {
  const isOrganisation = (l: ListLine) => l.iso3 === null
  return [...lines].sort(
    (a, b) =>
      Number(isOrganisation(a)) - Number(isOrganisation(b)) ||
      (isOrganisation(a) ? 0 : capacityRank(a.capacity) - capacityRank(b.capacity)) ||
      collator.compare(a.delegation, b.delegation) ||
      functionRank(a.function) - functionRank(b.function) ||
      collator.compare(a.name, b.name),
  )
}

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
