const startCommands = {
  PostgreSQL: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  Redis: 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
  Kafka: 'npm run infra:up',
} as const

/**
 * The one start-up error for a dependency that does not answer, for an operator: which one, where
 * (never with the credentials of its URL), why, and how to start it here.
 */
export function unreachable(dependency: keyof typeof startCommands, address: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error)
  const where = address.replace(/\/\/[^@/]*@/, '//')
  return new Error(`${dependency} is unreachable at ${where} (${reason}). Start it with: ${startCommands[dependency]}`)
}
