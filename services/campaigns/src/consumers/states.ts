import type { EventHandlers } from '@ccm/events'
import type { CampaignsDomain } from '../domain.ts'

/**
 * `contacts.state.registered` and `contacts.treaty_status.changed`: the states read model, and the
 * targets a deposit or a withdrawal moves (see the pipeline service).
 */
export function statesHandlers({ pipeline }: Pick<CampaignsDomain, 'pipeline'>) {
  return {
    'contacts.state.registered': (event, tx) => pipeline.applyStateRegistered(event, tx),
    'contacts.treaty_status.changed': (event, tx) => pipeline.applyTreatyChange(event, tx),
  } satisfies EventHandlers
}
