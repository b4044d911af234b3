import type { z } from 'zod'
import { contactsEvents } from './contacts.ts'
import { campaignsEvents } from './campaigns.ts'
import { socialEvents } from './social.ts'
import { meetingsEvents } from './meetings.ts'

/** Each service and the event types it alone emits: consumers refuse one that another `source` claims. */
const producers = {
  contacts: contactsEvents,
  campaigns: campaignsEvents,
  social: socialEvents,
  meetings: meetingsEvents,
} as const

/**
 * Every event type any service emits, with the zod schema of its `data`. Producers validate before
 * writing to the outbox; consumers validate before handling, so both sides share one definition.
 */
export const eventCatalogue = {
  ...contactsEvents,
  ...campaignsEvents,
  ...socialEvents,
  ...meetingsEvents,
} as const

export type EventType = keyof typeof eventCatalogue
export type EventData<T extends EventType> = z.infer<(typeof eventCatalogue)[T]>

const owners = new Map(
  Object.entries(producers).flatMap(([service, events]) => Object.keys(events).map((type) => [type, service])),
)

/** The service that emits `type`. */
export function ownerOf(type: EventType): string {
  return owners.get(type)!
}

/** `contacts.treaty_status.changed` travels on `contacts.events`: a topic per producing service. */
export function topicOf(type: string): string {
  return `${type.split('.')[0]}.events`
}

export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`
}

/** The topics the platform creates on purpose (with their dead-letter topics). */
export const serviceTopics = ['contacts.events', 'campaigns.events', 'social.events', 'meetings.events'] as const
