import { setTimeout as sleep } from 'node:timers/promises'
import { Kafka, logLevel, Partitioners, type Admin, type KafkaConfig, type Producer, type SASLOptions } from 'kafkajs'
import type { Logger } from 'pino'
import type { BaseConfig } from '@ccm/config'
import { deadLetterTopicOf } from './catalogue/index.ts'

export type { Kafka, Producer, Admin }

const pinoLevel: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
}

/**
 * kafkajs entries that are not ours to worry about, logged at debug:
 * - a broker's error answer to one request (kafkajs #1494: "The coordinator is loading" at every first
 *   start). kafkajs retries what can be retried, and what it gives up on reaches the caller, which logs it;
 * - the warning that the idempotent producer's limited retries may break exactly-once delivery. Delivery
 *   here is at least once on purpose: a send that fails is sent again from the outbox, and consumers skip
 *   what they have applied. Unlimited retries would hold a shutdown while the broker is away.
 */
function quieted(namespace: string, message: string): boolean {
  return (
    (namespace === 'Connection' && message.startsWith('Response ')) ||
    message.startsWith('Limiting retries for the idempotent producer')
  )
}

/** How to reach the brokers securely. */
export type KafkaSecurity = Pick<
  BaseConfig,
  'KAFKA_SASL_MECHANISM' | 'KAFKA_SASL_USERNAME' | 'KAFKA_SASL_PASSWORD' | 'KAFKA_SSL'
>

/**
 * The kafkajs client options for those settings (loadConfig has checked that a mechanism comes with its credentials).
 */
export function kafkaSecurityOptions(settings: KafkaSecurity): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username = '',
    KAFKA_SASL_PASSWORD: password = '',
  } = settings
  return { ssl: settings.KAFKA_SSL, ...(mechanism && { sasl: { mechanism, username, password } as SASLOptions }) }
}

/** A kafkajs client that logs through pino. kafkajs stays behind this package so it can be swapped. */
export function createKafka(options: {
  clientId: string
  brokers: string[]
  logger: Logger
  security?: KafkaSecurity
}): Kafka {
  const log = options.logger.child({ component: 'kafka' })
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...(options.security && kafkaSecurityOptions(options.security)),
    connectionTimeout: 3000,
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 3000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log: entry }) => {
        const { message, ...rest } = entry
        const pinoAt = quieted(namespace, message) ? 'debug' : (pinoLevel[level] ?? 'info')
        log[pinoAt]({ namespace, ...rest }, message)
      },
  })
}

/** Idempotent (acks=all, one request in flight): a retried send neither duplicates nor reorders. */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { initialRetryTime: 200, retries: 3, maxRetryTime: 2000 },
  })
}

/**
 * Creates the topics (and their dead-letter topics) that do not exist yet, and returns once every
 * partition has a leader: the first produce to a topic without one fails (kafkajs #1008).
 */
export async function ensureTopics(
  admin: Admin,
  topics: string[],
  options: { partitions?: number; timeoutMs?: number } = {},
): Promise<void> {
  const wanted = [...new Set(topics.flatMap((t) => [t, deadLetterTopicOf(t)]))]
  const existing = new Set(await admin.listTopics())
  const missing = wanted.filter((t) => !existing.has(t))
  if (missing.length === 0) return
  try {
    await admin.createTopics({
      waitForLeaders: false, // its wait gives up too soon: see leadersElected
      topics: missing.map((topic) => ({ topic, numPartitions: options.partitions ?? 3, replicationFactor: 1 })),
    })
  } catch (error) {
    // Another process created them in the meantime: that is the outcome we wanted.
    if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error
  }
  await leadersElected(admin, missing, options.timeoutMs ?? 30_000)
}

/**
 * Polls the topics' metadata until each partition has a leader. kafkajs' own wait (`waitForLeaders`)
 * gives up when a busy broker does not know a new topic yet (UNKNOWN_TOPIC_OR_PARTITION, kafkajs
 * #815), as happens when many topics are created or deleted at once.
 */
async function leadersElected(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  let last: unknown = null
  for (const deadline = Date.now() + timeoutMs; ; await sleep(100)) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics })
      if (metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return
      last = null
    } catch (error) {
      last = error // not known to the broker yet
    }
    if (Date.now() >= deadline) {
      const reason = last instanceof Error ? `: ${last.message}` : ''
      throw new Error(
        `Kafka elected no leader within ${timeoutMs} ms for every partition of ${topics.join(', ')}${reason}`,
      )
    }
  }
}
