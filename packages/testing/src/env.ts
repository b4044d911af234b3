import { uniqueTopicPrefix } from './topics.ts'

/**
 * The settings every test app runs with: quiet logs (LOG_LEVEL overrides), topics of its own, a
 * quick outbox poll, no practical rate limit and no metrics port (test servers run side by side);
 * `overrides` (its database URL, say) win.
 */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    OUTBOX_POLL_MS: '200',
    RATE_LIMIT_PER_MINUTE: '100000',
    CONTACTS_METRICS_PORT: '0',
    CAMPAIGNS_METRICS_PORT: '0',
    SOCIAL_METRICS_PORT: '0',
    MEETINGS_METRICS_PORT: '0',
    ...overrides,
  }
}
