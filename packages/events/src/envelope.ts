import { randomUUID } from 'node:crypto'
import { z } from 'zod'

/**
 * CloudEvents 1.0 attribute names (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md),
 * plus two extensions: `actor` (who caused it) and `correlationid` (the request or event it came from).
 * The whole envelope is the Kafka message value, as JSON; the key is `subject`, the aggregate's id.
 */
export const envelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().uuid(),
  source: z.string().min(1),
  type: z.string().min(1),
  time: z.string().datetime({ offset: true }),
  subject: z.string().min(1),
  datacontenttype: z.literal('application/json'),
  data: z.unknown(),
  actor: z.string().min(1),
  correlationid: z.string().min(1),
})

export interface Envelope<T = unknown> extends z.infer<typeof envelopeSchema> {
  data: T
}

/** The envelope `source` of the events a service emits. */
export function sourceOf(service: string): string {
  return `/ccm/${service}`
}

export function createEnvelope<T>(fields: {
  source: string
  type: string
  subject: string
  data: T
  actor: string
  correlationId: string
}): Envelope<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: fields.source,
    type: fields.type,
    time: new Date().toISOString(),
    subject: fields.subject,
    datacontenttype: 'application/json',
    data: fields.data,
    actor: fields.actor,
    correlationid: fields.correlationId,
  }
}
