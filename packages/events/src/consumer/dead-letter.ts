import type { KafkaMessage } from 'kafkajs'
import type { Logger } from 'pino'
import { deadLetterTopicOf } from '../catalogue/index.ts'
import type { Producer } from '../kafka.ts'
import { RetryLater } from './retry.ts'

export type DeadLetter = (
  topic: string,
  partition: number,
  message: KafkaMessage,
  raw: string,
  error: unknown,
) => Promise<void>

/**
 * Sends a message to its topic's dead-letter topic, the reason in its headers. If that fails, the
 * partition is retried from the message (RetryLater): it is fetched and handled again later.
 */
export function deadLetterSender(producer: Producer, groupId: string, log: Logger): DeadLetter {
  return async (topic, partition, { offset, key }, raw, error) => {
    const reason = error instanceof Error ? error.message : String(error)
    log.warn({ topic, partition, offset, reason }, 'message sent to dead-letter topic')
    await producer
      .send({
        topic: deadLetterTopicOf(topic),
        messages: [
          {
            key,
            value: raw,
            headers: {
              'dlq-error': reason,
              'dlq-source-topic': topic,
              'dlq-source-partition': String(partition),
              'dlq-source-offset': offset,
              'dlq-consumer-group': groupId,
            },
          },
        ],
      })
      .catch((sendError: unknown) => {
        throw new RetryLater(offset, sendError)
      })
  }
}
