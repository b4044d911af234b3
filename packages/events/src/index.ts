export { envelopeSchema, createEnvelope, sourceOf, type Envelope } from './envelope.ts'
export {
  eventCatalogue,
  topicOf,
  deadLetterTopicOf,
  serviceTopics,
  ownerOf,
  type EventType,
  type EventData,
} from './catalogue/index.ts'
export { treatyStatuses, type TreatyStatus } from './catalogue/contacts.ts'
export { postStatuses, deliveryStatuses } from './catalogue/social.ts'
export { meetingKinds, delegationCapacities, sponsorshipDecisions } from './catalogue/meetings.ts'
export {
  createKafka,
  createProducer,
  ensureTopics,
  kafkaSecurityOptions,
  type Kafka,
  type KafkaSecurity,
  type Producer,
  type Admin,
} from './kafka.ts'
export { eventsMigrations, type NewEvent } from './outbox.ts'
export { OutboxRelay } from './relay/relay.ts'
export { withWrites, type WriteBuffer, type WriteTransaction } from './writes.ts'
export { collectEvents, type EventCollector } from './collector.ts'
export { readDeadLetters, replayDeadLetters, type DeadLetter } from './dead-letters.ts'
export { isTransient } from './transient.ts'
export { waitOrWake, type WaitOrWake } from './wait-or-wake.ts'
export { EventConsumer } from './consumer/consumer.ts'
export type { EventHandlers, EventHandler, HandlerContext } from './consumer/handlers.ts'
export { eventsPlugin, type Events, type EventsPluginOptions } from './plugin.ts'
