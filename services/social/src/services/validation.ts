import twitterText from 'twitter-text'
import type { InvalidParam } from '@ccm/http'
import type { Channel } from '../repositories/channels.ts'

export const X_MAX_WEIGHTED = 280
export const FACEBOOK_MAX_CHARS = 63_206

export interface TextsToCheck {
  text: string
  variants: Record<string, { text: string }>
  thread: string[]
}

/** The text a channel publishes: its variant if it has one, else the post's text. */
export const textFor = (post: TextsToCheck, channelId: string): string => post.variants[channelId]?.text ?? post.text

/**
 * Checks each channel's texts against its platform's limit: X's weighted length (twitter-text:
 * URLs 23, CJK and emoji 2) for every post of the thread, Facebook's 63,206 characters. Each problem
 * names the field, the channel and how far over it is.
 */
export function checkLengths(post: TextsToCheck, channels: Channel[]): InvalidParam[] {
  const problems: InvalidParam[] = []
  for (const channel of channels) {
    const own = post.variants[channel.id] !== undefined
    const field = own ? `body.variants.${channel.id}.text` : 'body.text'
    const text = textFor(post, channel.id)
    if (channel.platform === 'x') {
      const texts = [text, ...post.thread]
      texts.forEach((t, i) => {
        const weighted = twitterText.parseTweet(t.normalize('NFC')).weightedLength
        if (weighted > X_MAX_WEIGHTED) {
          const which = texts.length > 1 ? `post ${i + 1} of the thread` : 'the post'
          problems.push({
            name: i === 0 ? field : `body.thread.${i - 1}`,
            reason:
              `too long for channel "${channel.name}" (X): ${which} is ${weighted - X_MAX_WEIGHTED} over the limit ` +
              `of ${X_MAX_WEIGHTED} weighted characters (${weighted})`,
          })
        }
      })
    } else {
      const length = [...text].length
      if (length > FACEBOOK_MAX_CHARS) {
        problems.push({
          name: field,
          reason:
            `too long for channel "${channel.name}" (Facebook): ${length - FACEBOOK_MAX_CHARS} characters over the ` +
            `limit of ${FACEBOOK_MAX_CHARS} (${length})`,
        })
      }
    }
  }
  return problems
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}
