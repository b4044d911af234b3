import type { EventHandlers } from '@ccm/events'
import type { CampaignsDomain } from '../domain.ts'

/** `contacts.interaction.logged`: the last contact of each target concerned, and the stage it moves to. */
export function interactionsHandlers({ pipeline }: Pick<CampaignsDomain, 'pipeline'>) {
  return {
    'contacts.interaction.logged': (event, tx) => pipeline.applyInteraction(event, tx),
  } satisfies EventHandlers
}
