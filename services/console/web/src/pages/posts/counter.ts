import twitterText from 'twitter-text'

/** The limits social enforces (services/social/src/services/validation.ts); counted the same way here. */
export const X_MAX_WEIGHTED = 280
export const FACEBOOK_MAX_CHARS = 63_206

export type Platform = 'x' | 'facebook'

export interface Count {
  used: number
  limit: number
  /** How far over the limit; 0 when it fits. */
  over: number
}

/** X counts weighted characters (URLs 23, CJK and emoji 2); Facebook counts code points. */
export function countFor(platform: Platform, text: string): Count {
  const used = platform === 'x' ? twitterText.parseTweet(text.normalize('NFC')).weightedLength : [...text].length
  const limit = platform === 'x' ? X_MAX_WEIGHTED : FACEBOOK_MAX_CHARS
  return { used, limit, over: Math.max(0, used - limit) }
}

export interface Texts {
  text: string
  variants: Record<string, { text: string }>
  thread: string[]
}

/** The text a channel publishes: its variant if it has one, else the post's text. */
export const textFor = (post: Texts, channelId: string): string => post.variants[channelId]?.text ?? post.text

/** Whether any channel's text (and, on X, any post of the thread) is over its limit. */
export function anyOver(post: Texts, channels: { id: string; platform: Platform }[]): boolean {
  return channels.some((channel) => {
    const texts = channel.platform === 'x' ? [textFor(post, channel.id), ...post.thread] : [textFor(post, channel.id)]
    return texts.some((text) => countFor(channel.platform, text).over > 0)
  })
}
