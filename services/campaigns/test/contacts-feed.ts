import { pino } from 'pino'
import { waitFor } from '@ccm/testing'
import {
  createEnvelope,
  createKafka,
  createProducer,
  eventCatalogue,
  topicOf,
  type Envelope,
  type EventData,
  type EventType,
} from '@ccm/events'

type Snapshot = EventData<'contacts.state.registered'>

/** Real states as the contacts registry holds them (data/ccm-states.csv), for tests to start from. */
export const snapshots = {
  KEN: {
    iso3: 'KEN',
    name: 'Kenya',
    status: 'signatory',
    unStatus: 'member',
    regionalGroup: 'African',
    signedOn: '2008-12-03',
    depositedOn: null,
    how: null,
    entryIntoForceOn: null,
    withdrawalNoticeOn: null,
    withdrawalEffectiveOn: null,
  },
  UGA: {
    iso3: 'UGA',
    name: 'Uganda',
    status: 'signatory',
    unStatus: 'member',
    regionalGroup: 'African',
    signedOn: '2008-12-03',
    depositedOn: null,
    how: null,
    entryIntoForceOn: null,
    withdrawalNoticeOn: null,
    withdrawalEffectiveOn: null,
  },
  TZA: {
    iso3: 'TZA',
    name: 'Tanzania',
    status: 'signatory',
    unStatus: 'member',
    regionalGroup: 'African',
    signedOn: '2008-12-03',
    depositedOn: null,
    how: null,
    entryIntoForceOn: null,
    withdrawalNoticeOn: null,
    withdrawalEffectiveOn: null,
  },
  JAM: {
    iso3: 'JAM',
    name: 'Jamaica',
    status: 'signatory',
    unStatus: 'member',
    regionalGroup: 'GRULAC',
    signedOn: '2009-06-12',
    depositedOn: null,
    how: null,
    entryIntoForceOn: null,
    withdrawalNoticeOn: null,
    withdrawalEffectiveOn: null,
  },
  FIN: {
    iso3: 'FIN',
    name: 'Finland',
    status: 'not_signed',
    unStatus: 'member',
    regionalGroup: 'WEOG',
    signedOn: null,
    depositedOn: null,
    how: null,
    entryIntoForceOn: null,
    withdrawalNoticeOn: null,
    withdrawalEffectiveOn: null,
  },
  NOR: {
    iso3: 'NOR',
    name: 'Norway',
    status: 'state_party',
    unStatus: 'member',
    regionalGroup: 'WEOG',
    signedOn: '2008-12-03',
    depositedOn: '2008-12-03',
    how: 'ratification',
    entryIntoForceOn: '2010-08-01',
    withdrawalNoticeOn: null,
    withdrawalEffectiveOn: null,
  },
  NGA: {
    iso3: 'NGA',
    name: 'Nigeria',
    status: 'state_party',
    unStatus: 'member',
    regionalGroup: 'African',
    signedOn: '2009-06-12',
    depositedOn: '2023-02-28',
    how: 'ratification',
    entryIntoForceOn: '2023-08-01',
    withdrawalNoticeOn: null,
    withdrawalEffectiveOn: null,
  },
  VUT: {
    iso3: 'VUT',
    name: 'Vanuatu',
    status: 'state_party',
    unStatus: 'member',
    regionalGroup: 'Asia-Pacific',
    signedOn: null,
    depositedOn: '2025-09-05',
    how: 'accession',
    entryIntoForceOn: '2026-03-01',
    withdrawalNoticeOn: null,
    withdrawalEffectiveOn: null,
  },
  LTU: {
    iso3: 'LTU',
    name: 'Lithuania',
    status: 'withdrawn',
    unStatus: 'member',
    regionalGroup: 'Eastern European',
    signedOn: '2008-12-03',
    depositedOn: '2011-03-24',
    how: 'ratification',
    entryIntoForceOn: '2011-09-01',
    withdrawalNoticeOn: '2024-09-06',
    withdrawalEffectiveOn: '2025-03-06',
  },
} satisfies Record<string, Snapshot>

/**
 * Produces catalogue-valid contacts events onto the test's own `contacts.events`, as the contacts
 * relay would (the envelope as the value, the subject as the key), so campaigns consumes them for real.
 */
export async function createContactsFeed(config: { KAFKA_BROKERS: string[]; KAFKA_TOPIC_PREFIX: string }) {
  const kafka = createKafka({
    clientId: 'test-contacts-feed',
    brokers: config.KAFKA_BROKERS,
    logger: pino({ level: 'silent' }),
  })
  const producer = createProducer(kafka)
  await producer.connect()

  async function send(...envelopes: Envelope[]): Promise<void> {
    for (const envelope of envelopes) {
      await producer.send({
        topic: config.KAFKA_TOPIC_PREFIX + topicOf(envelope.type),
        messages: [{ key: envelope.subject, value: JSON.stringify(envelope) }],
      })
    }
  }

  async function emit<T extends EventType>(
    type: T,
    subject: string,
    data: EventData<T>,
    actor = 'contacts-test',
  ): Promise<Envelope<EventData<T>>> {
    const envelope = createEnvelope({
      source: '/ccm/contacts',
      type,
      subject,
      data: eventCatalogue[type].parse(data) as EventData<T>,
      actor,
      correlationId: `test-${type}`,
    })
    await send(envelope)
    return envelope
  }

  return {
    send,
    emit,
    register: (...states: Snapshot[]) =>
      Promise.all(states.map((s) => emit('contacts.state.registered', s.iso3, s, 'registry-seed'))),
    treatyChanged: (
      before: Snapshot,
      after: Snapshot,
      step: { id: number; kind: string; date: string },
      statesPartiesCount: number,
    ) =>
      emit('contacts.treaty_status.changed', after.iso3, {
        iso3: after.iso3,
        name: after.name,
        from: before.status,
        to: after.status,
        step,
        state: after,
        statesPartiesCount,
      }),
    interaction: (
      data: Omit<EventData<'contacts.interaction.logged'>, 'organizations' | 'people' | 'campaignId' | 'author'> &
        Partial<EventData<'contacts.interaction.logged'>>,
    ) =>
      emit('contacts.interaction.logged', data.id, {
        organizations: [],
        people: [],
        campaignId: null,
        author: 'marie.dupont',
        ...data,
      }),
    close: () => producer.disconnect(),
  }
}

/**
 * Waits until the consumer group has committed everything on the topic: then every event sent
 * before has been handled (or skipped as a duplicate), and a test can assert that nothing changed.
 */
export async function waitCaughtUp(
  config: { KAFKA_BROKERS: string[]; KAFKA_TOPIC_PREFIX: string },
  groupId: string,
  topic = 'contacts.events',
): Promise<void> {
  const kafka = createKafka({
    clientId: 'test-offsets',
    brokers: config.KAFKA_BROKERS,
    logger: pino({ level: 'silent' }),
  })
  const admin = kafka.admin()
  await admin.connect()
  try {
    const fullTopic = config.KAFKA_TOPIC_PREFIX + topic
    const ends = await admin.fetchTopicOffsets(fullTopic)
    await waitFor(
      `${groupId} to catch up on ${fullTopic}`,
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [fullTopic] })
        return ends.every((end) => {
          const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1'
          return Number(end.high) === 0 || Number(at) >= Number(end.high)
        })
      },
      20_000,
    )
  } finally {
    await admin.disconnect()
  }
}

const pad = (n: number) => String(n).padStart(2, '0')
/** A date `days` from today (negative: in the past). */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
}
/** Art. 17(2): the first day of the sixth month after the month of deposit. */
export function entryIntoForceFor(depositedOn: string): string {
  const [y, m] = depositedOn.split('-').map(Number) as [number, number]
  const index = y * 12 + (m - 1) + 6
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}-01`
}
