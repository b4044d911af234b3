import type { EventHandlers } from '@ccm/events'
import type { SocialDomain } from '../domain.ts'
import { stateJoinedTexts } from '../services/announcements.ts'
import { DEFAULT_TIME_ZONE } from '../services/posts.ts'

export const ANNOUNCER = 'system:social'

/**
 * `campaigns.milestone.reached`, when a State joined: draft its announcement for the default channels,
 * in English with French and Spanish alternatives, and submit it for a person to approve. The post's
 * unique `causedByEventId` makes a replay (or a second milestone event for the same treaty event)
 * change nothing.
 */
export function milestonesHandlers({ channels, postsService }: Pick<SocialDomain, 'channels' | 'postsService'>) {
  return {
    'campaigns.milestone.reached': async (event, { client, log }) => {
      const { kind, state, statesPartiesCount, causedByEventId } = event.data
      if (kind !== 'state_joined' || !state) return
      const defaults = await channels.defaults(client)
      const texts = stateJoinedTexts(state.name, statesPartiesCount)
      const post = await postsService.createSubmitted({
        text: texts.en,
        variants: {},
        translations: { fr: { text: texts.fr }, es: { text: texts.es } },
        thread: [],
        language: 'en',
        media: [],
        channels: defaults.map((c) => c.id),
        scheduledAt: null,
        timeZone: DEFAULT_TIME_ZONE,
      }, causedByEventId, { actor: ANNOUNCER, correlationId: event.correlationid }, client)
      if (!post) log.info({ causedByEventId }, 'milestone already announced; nothing drafted')
      else if (defaults.length === 0) log.warn({ postId: post.id }, 'announcement drafted with no channel: no channel is marked default')
      else log.info({ postId: post.id, iso3: state.iso3 }, 'announcement drafted and submitted for approval')
    },
  } satisfies EventHandlers
}
