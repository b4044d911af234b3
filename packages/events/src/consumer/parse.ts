import type { KafkaMessage } from 'kafkajs'
import type { Logger } from 'pino'
import { eventCatalogue, ownerOf, type EventType } from '../catalogue/index.ts'
import { envelopeSchema, sourceOf, type Envelope } from '../envelope.ts'
import type { EventHandler, EventHandlers } from './handlers.ts'

/** A message that parsed, with the handler it is for. */
export interface ParsedEvent {
  message: KafkaMessage
  raw: string
  event: Envelope
  handler: EventHandler<EventType>
  log: Logger
}

/** A message that can never be applied: it goes to the dead-letter topic. */
export interface Poison {
  message: KafkaMessage
  raw: string
  error: unknown
}

class PoisonMessage extends Error {
  override name = 'PoisonMessage'
}

/** Sorts a chunk's messages: those a handler here takes, the poison, and (left out) other consumers' business. */
export function parseChunk(
  messages: KafkaMessage[],
  handlers: EventHandlers,
  log: Logger,
): { parsed: ParsedEvent[]; poison: Poison[] } {
  const parsed: ParsedEvent[] = []
  const poison: Poison[] = []
  for (const message of messages) {
    const raw = message.value?.toString('utf8') ?? ''
    let event: Envelope
    try {
      event = parse(raw, handlers)
    } catch (error) {
      poison.push({ message, raw, error })
      continue
    }
    const handler = handlers[event.type as EventType] as EventHandler<EventType> | undefined
    if (!handler) continue // another consumer's business
    parsed.push({
      message,
      raw,
      event,
      handler,
      log: log.child({ eventId: event.id, eventType: event.type, correlationId: event.correlationid }),
    })
  }
  return { parsed, poison }
}

/** The envelope; for a type handled here, also checked against its schema and its owner's `source`. */
function parse(raw: string, handlers: EventHandlers): Envelope {
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    throw new PoisonMessage('message value is not JSON')
  }
  const envelope = envelopeSchema.safeParse(json)
  if (!envelope.success)
    throw new PoisonMessage(
      `invalid envelope: ${envelope.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  const schema = eventCatalogue[envelope.data.type as EventType]
  if (schema && handlers[envelope.data.type as EventType]) {
    const owner = sourceOf(ownerOf(envelope.data.type as EventType))
    if (envelope.data.source !== owner)
      throw new PoisonMessage(`${envelope.data.type} comes from ${owner} only, not from ${envelope.data.source}`)
    const data = schema.safeParse(envelope.data.data)
    if (!data.success)
      throw new PoisonMessage(
        `invalid ${envelope.data.type} data: ` +
          data.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      )
    return { ...envelope.data, data: data.data }
  }
  return envelope.data
}
