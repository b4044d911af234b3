import type { Logger } from 'pino'
import type { DbClient } from '@ccm/db'
import type { EventData, EventType } from '../catalogue/index.ts'
import type { Envelope } from '../envelope.ts'
import type { WriteBuffer } from '../writes.ts'

export interface HandlerContext {
  /**
   * The handler's transaction: its writes commit together with the event's processed mark (and with
   * the other events of its batch). Never commit or roll it back; throw to undo.
   */
  client: DbClient
  /** Carries the event's correlation id, so one request can be followed across services. */
  log: Logger
  /** The transaction's outbox events and audit rows, stored together just before it commits. */
  writes: WriteBuffer
}

export type EventHandler<T extends EventType> = (
  event: Envelope<EventData<T>>,
  context: HandlerContext,
) => Promise<void>
export type EventHandlers = { [T in EventType]?: EventHandler<T> }
