import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'
import type { Post } from './api'

dayjs.extend(utc)
dayjs.extend(timezone)

export const DEFAULT_ZONE = 'Europe/Zurich'
const WALL = 'YYYY-MM-DD HH:mm:ss'

/** What the composer holds, under the API's field names so that a 400's invalidParams land on their field. */
export interface ComposeValues {
  text: string
  variants: Record<string, { text: string }>
  thread: string[]
  channels: string[]
  media: string[]
  /** The wall-clock time in `timeZone`, as Mantine's DateTimePicker gives it. */
  scheduledAt: string | null
  timeZone: string
}

export const emptyPost = (channels: string[]): ComposeValues => ({
  text: '',
  variants: {},
  thread: [],
  channels,
  media: [],
  scheduledAt: null,
  timeZone: DEFAULT_ZONE,
})

export const fromPost = (post: Post): ComposeValues => ({
  text: post.text,
  variants: post.variants,
  thread: post.thread,
  channels: post.channels,
  media: post.media,
  scheduledAt: post.scheduledAt ? dayjs(post.scheduledAt).tz(post.timeZone).format(WALL) : null,
  timeZone: post.timeZone,
})

/** The instant the wall-clock time means in its zone, with its offset (2026-03-01T09:00:00+01:00). */
export const instantOf = (wall: string, zone: string) => dayjs.tz(wall, zone).format()

export function toBody(values: ComposeValues) {
  const variants = Object.fromEntries(Object.entries(values.variants).filter(([id]) => values.channels.includes(id)))
  return {
    text: values.text,
    variants,
    thread: values.thread.filter((part) => part.trim() !== ''),
    channels: values.channels,
    media: values.media,
    scheduledAt: values.scheduledAt ? instantOf(values.scheduledAt, values.timeZone) : null,
    timeZone: values.timeZone,
  }
}
