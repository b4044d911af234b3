import t from 'tap'
import { unreachable } from '@ccm/config'
import { ensureDatabase } from '../src/index.ts'

t.test('a dependency that does not answer is named, with where it was looked for and how to start it', async (t) => {
  const error = await ensureDatabase('postgres://ccm:secret@127.0.0.1:1/ccm_nowhere').then(() => null, (e: Error) => e)
  t.match(error?.message, /^PostgreSQL is unreachable at postgres:\/\/127\.0\.0\.1:1\/ccm_nowhere \(.+\)\. Start it with: pg_ctlcluster /)
  t.notMatch(error?.message, /secret/, 'never the credentials')
  t.equal(
    unreachable('Kafka', '127.0.0.1:9092', new Error('Connection timeout')).message,
    'Kafka is unreachable at 127.0.0.1:9092 (Connection timeout). Start it with: npm run infra:up',
  )
})
