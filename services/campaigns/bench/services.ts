import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { pino } from 'pino'
import { createKafka } from '@ccm/events'
import { waitFor } from '@ccm/testing'

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number }
        server.close(() => resolve(port))
      })
      .on('error', reject)
  })
}

/** Starts a service as `npm start` does (scripts/service.sh), on a free port, and waits until it is ready. */
export async function startService(
  name: 'contacts' | 'campaigns',
  env: Record<string, string | undefined>,
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort()
  const script = new URL('../../../scripts/service.sh', import.meta.url).pathname
  const child = spawn('bash', [script, name], {
    env: { ...env, [`${name.toUpperCase()}_PORT`]: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  await waitFor(`${name} to be ready`, async () => child.exitCode === null && (await fetch(`${url}/readyz`)).ok, 60_000)
  return { child, url }
}

export async function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await Promise.race([exited, sleep(20_000)])
}

/** Removes the topics and consumer groups whose names start with one of `prefixes` from the broker. */
export async function deleteKafkaResources(brokers: string[], ...prefixes: string[]): Promise<number> {
  const admin = createKafka({ clientId: 'bench-cleanup', brokers, logger: pino({ level: 'silent' }) }).admin()
  const ours = (name: string) => prefixes.some((prefix) => name.startsWith(prefix))
  await admin.connect()
  try {
    const topics = (await admin.listTopics()).filter(ours)
    // In slices: one request for hundreds of topics can outlast the admin client's timeout.
    for (let i = 0; i < topics.length; i += 50) await admin.deleteTopics({ topics: topics.slice(i, i + 50) })
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter(ours)
    if (groups.length) await admin.deleteGroups(groups).catch(() => {})
    return topics.length
  } finally {
    await admin.disconnect()
  }
}
