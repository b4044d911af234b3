import type { EventHandler } from '@ccm/events'
import type { ChannelsRepository } from '../repositories/channels.ts'
import { stateJoinedTexts } from '../services/announcements.ts'
import { DEFAULT_TIME_ZONE, type PostsService } from '../services/posts.ts'

export const ANNOUNCER = 'system:social'

/**
 * A State joined: draft its announcement for the default channels, in English with French and Spanish
 * alternatives, and submit it for a person to approve. The post's unique `causedByEventId` makes a
 * replay (or a second milestone event for the same treaty event) change nothing.
 */
export function milestoneReachedHandler(deps: { channels: ChannelsRepository; postsService: PostsService }): EventHandler<'campaigns.milestone.reached'> {
  return async (event, { client, log }) => {
    const { kind, state, statesPartiesCount, causedByEventId } = event.data
    if (kind !== 'state_joined' || !state) return
    const channels = await deps.channels.defaults(client)
    const texts = stateJoinedTexts(state.name, statesPartiesCount)
    const post = await deps.postsService.createSubmitted({
      text: texts.en,
      variants: {},
      translations: { fr: { text: texts.fr }, es: { text: texts.es } },
      thread: [],
      language: 'en',
      media: [],
      channels: channels.map((c) => c.id),
      scheduledAt: null,
      timeZone: DEFAULT_TIME_ZONE,
    }, causedByEventId, { actor: ANNOUNCER, correlationId: event.correlationid }, client)
    if (!post) log.info({ causedByEventId }, 'milestone already announced; nothing drafted')
    else if (channels.length === 0) log.warn({ postId: post.id }, 'announcement drafted with no channel: no channel is marked default')
    else log.info({ postId: post.id, iso3: state.iso3 }, 'announcement drafted and submitted for approval')
  }
}
