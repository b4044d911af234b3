import type { EventHandlers } from '@ccm/events'
import type { SocialDomain } from '../domain.ts'

/** `campaigns.milestone.reached`: a State that joined is announced (see the announcer); a campaign's goal is not. */
export function milestonesHandlers({ announcer }: Pick<SocialDomain, 'announcer'>) {
  return {
    'campaigns.milestone.reached': async (event, { client, writes, log }) => {
      const { kind, state, statesPartiesCount, causedByEventId } = event.data
      if (kind !== 'state_joined' || !state) return
      const { post, channels } = await announcer.stateJoined(
        { ...state, statesPartiesCount, causedByEventId },
        event.correlationid,
        { client, writes },
      )
      if (!post) log.info({ causedByEventId }, 'milestone already announced; nothing drafted')
      else if (channels === 0)
        log.warn({ postId: post.id }, 'announcement drafted with no channel: no channel is marked default')
      else log.info({ postId: post.id, iso3: state.iso3 }, 'announcement drafted and submitted for approval')
    },
  } satisfies EventHandlers
}
