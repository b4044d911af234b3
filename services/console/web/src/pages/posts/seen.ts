import type { Post } from './api'

/**
 * The version of each post this browser's reviewer last sent back, so the queue can show what changed since.
 * The API keeps no copy of a post as submitted; `editedBy` says who changed it, this says what.
 */
export interface Seen {
  version: number
  text: string
  thread: string[]
  variants: Record<string, { text: string }>
}

const key = (id: string) => `ccm.posts.seen.${id}`

export function lastSeen(id: string): Seen | null {
  try {
    return JSON.parse(localStorage.getItem(key(id)) ?? 'null') as Seen | null
  } catch {
    return null
  }
}

export function markSeen(post: Post): void {
  const seen: Seen = { version: post.version, text: post.text, thread: post.thread, variants: post.variants }
  try {
    localStorage.setItem(key(post.id), JSON.stringify(seen))
  } catch {
    // Private browsing or a full store: the queue then shows no diff, nothing worse.
  }
}
