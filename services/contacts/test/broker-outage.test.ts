import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { EventConsumer } from '@ccm/events'
import { waitFor } from '@ccm/testing'
import { build } from './helper.ts'

const run = promisify(execFile)
const kafkaScript = new URL('../../../infra/kafka/kafka.sh', import.meta.url).pathname

// A broker of this test's own, so stopping it disturbs no other test file.
const env = { ...process.env, KAFKA_PORT: '19092', KAFKA_CONTROLLER_PORT: '19093' }
const broker = (...args: string[]) => run('bash', [kafkaScript, ...args], { env: { ...env, KAFKA_DATA_DIR: dataDir } })
let dataDir = ''

t.test(
  'events recorded while the broker is down are delivered once it is back, once per group, in order',
  async (t) => {
    dataDir = await mkdtemp(join(tmpdir(), 'ccm-kafka-outage-'))
    await broker('down', '--kill').catch(() => {})
    await broker('up')
    t.teardown(async () => {
      await broker('down', '--kill').catch(() => {})
      await rm(dataDir, { recursive: true, force: true })
    })

    const { app, as, config } = await build(t, { KAFKA_BROKERS: '127.0.0.1:19092' })
    const editor = await as('editor')
    await app.db.query(
      'CREATE TABLE received (seq serial, consumer_group text, event_id uuid, iso3 text, to_status text)',
    )

    const consumers = ['campaigns-like', 'social-like'].map(
      (groupId) =>
        new EventConsumer({
          kafka: app.events.kafka,
          db: app.db,
          groupId,
          topics: ['contacts.events'],
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          // No dead letters in this test (none is expected), and Fastify's logger is the pino one the type asks for.
          deadLetterProducer: undefined as never,
          logger: app.log as never,
          handlers: {
            'contacts.treaty_status.changed': async (event, { client }) => {
              await client.query(
                'INSERT INTO received (consumer_group, event_id, iso3, to_status) VALUES ($1, $2, $3, $4)',
                [groupId, event.id, event.data.iso3, event.data.to],
              )
            },
          },
        }),
    )
    await Promise.all(consumers.map((c) => c.start()))
    t.teardown(() => Promise.all(consumers.map((c) => c.stop())))

    const step = (iso3: string, kind: string, date: string) =>
      app.inject({ method: 'POST', url: `/v1/states/${iso3}/treaty-events`, headers: editor, payload: { kind, date } })

    t.equal((await step('FIN', 'accession', '2020-01-10')).statusCode, 201)
    await waitFor(
      'the first event in both groups',
      async () => (await app.db.query('SELECT count(*)::int AS n FROM received')).rows[0].n === 2,
    )

    await broker('down')

    const statesOffline = ['EST', 'LVA', 'POL']
    for (const iso3 of statesOffline) {
      t.equal((await step(iso3, 'accession', '2020-01-10')).statusCode, 201, `${iso3} joins while the broker is down`)
      t.equal(
        (await step(iso3, 'withdrawal', '2021-01-10')).statusCode,
        201,
        `${iso3} withdraws while the broker is down`,
      )
      t.equal(
        (await step(iso3, 'accession', '2022-01-10')).statusCode,
        201,
        `${iso3} accedes again while the broker is down`,
      )
    }
    const pending = await app.db.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')
    t.equal(pending.rows[0].n, 9, 'the nine events wait in the outbox')

    await broker('up')

    await waitFor(
      'every event in both groups',
      async () => (await app.db.query('SELECT count(*)::int AS n FROM received')).rows[0].n >= 20,
      90_000,
    )

    const { rows: duplicates } = await app.db.query(
      'SELECT consumer_group, event_id FROM received GROUP BY 1, 2 HAVING count(*) > 1',
    )
    t.same(duplicates, [], 'no event applied twice in a group')
    for (const group of ['campaigns-like', 'social-like']) {
      for (const iso3 of statesOffline) {
        const { rows } = await app.db.query(
          'SELECT to_status FROM received WHERE consumer_group = $1 AND iso3 = $2 ORDER BY seq',
          [group, iso3],
        )
        t.same(
          rows.map((r) => r.to_status),
          ['state_party', 'withdrawn', 'state_party'],
          `${group} saw ${iso3}'s changes in order`,
        )
      }
    }
    // The relay marks what it published a moment later (in batches), so the consumers may be ahead of it.
    const unmarked = async () =>
      (await app.db.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0].n as number
    await waitFor('the published events to be marked in the outbox', async () => (await unmarked()) === 0, 5000).catch(
      () => {},
    )
    t.equal(await unmarked(), 0, 'the outbox is drained')
  },
)
