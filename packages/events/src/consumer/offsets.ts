import type { Consumer } from 'kafkajs'
import type { Logger } from 'pino'

/**
 * The offsets applied and not yet committed to Kafka: per partition, the next offset to read. kafkajs
 * would commit after every batch, a broker round trip before the next fetch; they are committed on a
 * timer and on stop instead. What a crash leaves uncommitted is delivered again and skipped, each event
 * being applied once per group whatever Kafka redelivers.
 */
export class AppliedOffsets {
  private readonly uncommitted = new Map<string, { topic: string; partition: number; offset: string }>()

  constructor(
    private readonly consumer: Consumer,
    private readonly log: Logger,
  ) {}

  /** Everything up to `offset` in this partition is applied. */
  applied(topic: string, partition: number, offset: string): void {
    this.uncommitted.set(`${topic}/${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() })
  }

  async commit(): Promise<void> {
    if (this.uncommitted.size === 0) return
    const offsets = [...this.uncommitted.values()]
    this.uncommitted.clear()
    try {
      await this.consumer.commitOffsets(offsets)
    } catch (error) {
      // A rebalance or a broker away: these events will be delivered again, and skipped.
      this.log.warn({ err: error }, 'offsets not committed')
    }
  }
}
