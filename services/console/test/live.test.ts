import t from 'tap'
import type { AddressInfo } from 'node:net'
import pino from 'pino'
import { createEnvelope, createKafka, createProducer } from '@ccm/events'
import { waitFor } from '@ccm/testing'
import { build, type Browser } from './helper.ts'

/** An open live stream, read as the browser's EventSource would: the `change` events it has received so far. */
async function openStream(base: string, browser: Browser, query = '') {
  const controller = new AbortController()
  const response = await fetch(`${base}/api/live${query}`, { headers: browser.reads, signal: controller.signal })
  const changes: { type: string; id: string; subject: string; time: string; data: unknown }[] = []
  let ended = false
  const reading = (async () => {
    const decoder = new TextDecoder()
    let buffered = ''
    try {
      for await (const chunk of response.body!) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true })
        let at: number
        while ((at = buffered.indexOf('\n\n')) !== -1) {
          const block = buffered.slice(0, at)
          buffered = buffered.slice(at + 2)
          const data = block.match(/^event: change\ndata: (.*)$/m)?.[1]
          if (data) changes.push(JSON.parse(data))
        }
      }
    } catch {
      // aborted by the test
    }
    ended = true
  })()
  return {
    response,
    changes,
    get ended() {
      return ended
    },
    async close() {
      controller.abort()
      await reading
    },
  }
}

t.test('live changes', async (t) => {
  const { app, config, signedIn } = await build(t, { CONSOLE_LIVE_HEARTBEAT_MS: '300' })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  await app.changes.ready

  const kafka = createKafka({
    clientId: 'console-live-test',
    brokers: config.KAFKA_BROKERS,
    logger: pino({ level: 'warn' }),
  })
  const producer = createProducer(kafka)
  await producer.connect()
  t.teardown(() => producer.disconnect())
  const publish = async (type: string, source: string) => {
    const event = createEnvelope({
      source,
      type,
      subject: 'KEN',
      data: { id: '00000000-0000-4000-8000-000000000001', name: 'Kenya campaign', status: 'active' },
      actor: 'someone',
      correlationId: 'live-test',
    })
    const topic = `${config.KAFKA_TOPIC_PREFIX}${type.split('.')[0]}.events`
    await producer.send({ topic, messages: [{ key: event.subject, value: JSON.stringify(event) }] })
    return event
  }

  t.test('is for signed-in users only', async (t) => {
    const response = await fetch(`${base}/api/live`)
    t.equal(response.status, 401)
    t.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  })

  t.test('delivers an event within 2 s, and honours ?types=', async (t) => {
    const { browser } = await signedIn('viewer')
    const everything = await openStream(base, browser)
    const campaignsOnly = await openStream(base, browser, '?types=campaigns.')
    const socialOnly = await openStream(base, browser, '?types=social.,contacts.person.')
    t.equal(everything.response.status, 200)
    t.match(everything.response.headers.get('content-type'), /^text\/event-stream/)

    const sent = Date.now()
    const campaignEvent = await publish('campaigns.campaign.created', '/ccm/campaigns')
    await waitFor('the event on the stream', async () => everything.changes.length > 0, 2000)
    t.ok(Date.now() - sent < 2000, `delivered in ${Date.now() - sent} ms`)
    t.same(everything.changes[0], {
      id: campaignEvent.id,
      type: 'campaigns.campaign.created',
      subject: 'KEN',
      time: campaignEvent.time,
      data: campaignEvent.data,
    })
    const socialEvent = await publish('social.post.submitted', '/ccm/social')
    await waitFor('both events on the unfiltered stream', async () => everything.changes.length === 2, 2000)
    await waitFor('the social event', async () => socialOnly.changes.length === 1, 2000)
    t.same(
      campaignsOnly.changes.map((c) => c.id),
      [campaignEvent.id],
    )
    t.same(
      socialOnly.changes.map((c) => c.id),
      [socialEvent.id],
    )

    const before = app.changes.listening
    await Promise.all([everything.close(), campaignsOnly.close(), socialOnly.close()])
    await waitFor('closed streams to be dropped', async () => app.changes.listening === before - 3, 2000)
    t.pass('a closed connection is cleaned up')
  })

  t.test('keeps the stream open with comments, and ends it with the session', async (t) => {
    const { browser } = await signedIn('viewer')
    const stream = await openStream(base, browser)
    const reader = stream.response
    t.equal(reader.status, 200)
    await new Promise((resolve) => setTimeout(resolve, 800))
    t.notOk(stream.ended, 'still open after a few heartbeats')
    const out = await app.inject({ method: 'DELETE', url: '/api/session', headers: browser.writes })
    t.equal(out.statusCode, 204)
    await waitFor('the stream to end', async () => stream.ended, 3000)
    t.pass('signing out ends the stream at the next heartbeat')
  })
})
