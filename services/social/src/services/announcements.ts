import type { WriteTransaction } from '@ccm/events'
import type { ChannelsRepository } from '../repositories/channels.ts'
import type { Post } from '../repositories/posts.ts'
import { DEFAULT_TIME_ZONE, type PostsService } from './posts.ts'

/** The author of the posts nobody wrote by hand. */
export const ANNOUNCER = 'system:social'

/**
 * Announcement texts for a State joining the Convention, in the ISU's three working languages.
 * English ordinals follow the usual rule: 1st, 2nd, 3rd, but 11th, 12th, 13th (and 111th, 112th, 113th).
 */
export function englishOrdinal(n: number): string {
  const lastTwo = n % 100
  if (lastTwo >= 11 && lastTwo <= 13) return `${n}th`
  const suffix = { 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'
  return `${n}${suffix}`
}

/** French: 1er, then 2e, 3e… (feminine "1re" does not apply: "État" is masculine). */
export const frenchOrdinal = (n: number): string => (n === 1 ? '1er' : `${n}e`)

/** Spanish: 1.º, 2.º… (masculine, agreeing with "Estado"). */
export const spanishOrdinal = (n: number): string => `${n}.º`

export function stateJoinedTexts(stateName: string, statesPartiesCount: number) {
  return {
    en:
      `The Convention on Cluster Munitions Implementation Support Unit welcomes ${stateName} ` +
      `as the ${englishOrdinal(statesPartiesCount)} State Party to the Convention on Cluster Munitions. ` +
      `#CCM #BanClusterMunitions`,
    fr:
      `L'Unité d'appui à l'application de la Convention sur les armes à sous-munitions salue ${stateName}, ` +
      `${frenchOrdinal(statesPartiesCount)} État partie à la Convention sur les armes à sous-munitions. #CCM`,
    es:
      `La Unidad de Apoyo a la Implementación de la Convención sobre Municiones en Racimo ` +
      `da la bienvenida a ${stateName} como ${spanishOrdinal(statesPartiesCount)} Estado Parte ` +
      `de la Convención sobre Municiones en Racimo. #CCM`,
  }
}

/** A State that joined, as a `state_joined` milestone tells it, and the event that caused it. */
export interface StateJoined {
  iso3: string
  name: string
  statesPartiesCount: number
  causedByEventId: string
}

export function createAnnouncer(deps: { channels: ChannelsRepository; postsService: PostsService }) {
  return {
    /**
     * Drafts the State's announcement for the default channels, in English with French and Spanish
     * alternatives, and submits it for a person to approve. The post's unique `causedByEventId` makes a
     * replay (or a second milestone for the same treaty event) draft nothing: `post` is null then.
     */
    async stateJoined(
      joined: StateJoined,
      correlationId: string,
      tx: WriteTransaction,
    ): Promise<{ post: Post | null; channels: number }> {
      const channels = await deps.channels.defaults(tx.client)
      const texts = stateJoinedTexts(joined.name, joined.statesPartiesCount)
      const post = await deps.postsService.createSubmitted(
        {
          text: texts.en,
          variants: {},
          translations: { fr: { text: texts.fr }, es: { text: texts.es } },
          thread: [],
          language: 'en',
          media: [],
          channels: channels.map((c) => c.id),
          scheduledAt: null,
          timeZone: DEFAULT_TIME_ZONE,
        },
        joined.causedByEventId,
        { actor: ANNOUNCER, correlationId },
        tx,
      )
      return { post, channels: channels.length }
    },
  }
}

export type Announcer = ReturnType<typeof createAnnouncer>
