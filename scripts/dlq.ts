// `npm run dlq -- list <topic>`: the dead letters of <topic>.dlq, oldest first: event id, type, subject, reason, time.
// `npm run dlq -- replay <topic> [--id <eventId>]`: sends them (or the one) back to <topic>, where each consumer
// skips what it has applied already. <topic> is a logical name (contacts.events); KAFKA_TOPIC_PREFIX is added.
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { baseConfigSchema, loadConfig } from '@ccm/config'
import { createKafka, createProducer, readDeadLetters, replayDeadLetters } from '@ccm/events'

const {
  positionals: [command, topic],
  values,
} = parseArgs({ allowPositionals: true, options: { id: { type: 'string' } } })
if (!['list', 'replay'].includes(command ?? '') || !topic) {
  console.error(
    'usage: npm run dlq -- list <topic> | replay <topic> [--id <eventId>]   ' +
      '(topic: contacts.events, campaigns.events, social.events)',
  )
  process.exit(2)
}
const envFile = new URL('../.env', import.meta.url)
if (existsSync(envFile)) process.loadEnvFile(envFile)
const config = loadConfig(baseConfigSchema)
const kafka = createKafka({
  clientId: 'ccm-dlq',
  brokers: config.KAFKA_BROKERS,
  logger: pino({ level: 'error' }),
  security: config,
})
const fullTopic = config.KAFKA_TOPIC_PREFIX + topic
const letters = (await readDeadLetters(kafka, fullTopic)).filter((l) => !values.id || l.id === values.id)

if (command === 'list') {
  for (const l of letters) {
    console.log(
      [l.id ?? '-', l.type ?? '-', l.subject ?? '-', l.headers['dlq-error'] ?? '-', l.time.toISOString()].join('\t'),
    )
  }
  console.log(`${letters.length} dead letter(s) in ${fullTopic}.dlq`)
} else {
  if (values.id && letters.length === 0) {
    console.error(`no dead letter with id ${values.id} in ${fullTopic}.dlq`)
    process.exit(1)
  }
  const producer = createProducer(kafka)
  await producer.connect()
  await replayDeadLetters(producer, fullTopic, letters)
  await producer.disconnect()
  console.log(`${letters.length} event(s) sent back to ${fullTopic}`)
}
