import t from 'tap'
import { DatabaseBusyError } from '@ccm/db'
import { isTransient } from '../src/index.ts'

const pgError = (code: string) => Object.assign(new Error(`postgres said ${code}`), { code })

t.test('errors that pass are transient', async (t) => {
  const cases: [string, unknown][] = [
    ['serialization failure', pgError('40001')],
    ['deadlock', pgError('40P01')],
    ['admin shutdown', pgError('57P01')],
    ['crash shutdown', pgError('57P02')],
    ['cannot connect now', pgError('57P03')],
    ['statement timeout', pgError('57014')],
    ['too many connections', pgError('53300')],
    ['connection failure (class 08)', pgError('08006')],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['refused on every address', new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })])],
    ['pg connection lost', new Error('Connection terminated unexpectedly')],
    ['pg client closed', new Error('Client was closed and is not queryable')],
    ['pool wait timeout (packages/db)', new DatabaseBusyError('no database connection became free in time')],
    [
      'kafkajs retriable',
      Object.assign(new Error('There is no leader for this topic-partition'), {
        name: 'KafkaJSProtocolError',
        retriable: true,
      }),
    ],
    ['kafkajs retries exhausted', Object.assign(new Error('gave up'), { name: 'KafkaJSNumberOfRetriesExceeded' })],
    ['kafkajs broker away', Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError' })],
    ['wrapped in a cause', new Error('handler failed', { cause: pgError('40P01') })],
  ]
  for (const [what, error] of cases) t.ok(isTransient(error), what)
})

t.test('faults of the event or the code are not', async (t) => {
  const cases: [string, unknown][] = [
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['unique violation', pgError('23505')],
    ['syntax error', pgError('42601')],
    ['a class 08-looking code that is not a SQLSTATE', Object.assign(new Error('x'), { code: '08' })],
    [
      'kafkajs non-retriable',
      Object.assign(new Error('The request attempted to perform an operation on an invalid topic'), {
        name: 'KafkaJSProtocolError',
        retriable: false,
      }),
    ],
    ['a string', 'boom'],
    ['nothing', undefined],
  ]
  for (const [what, error] of cases) t.notOk(isTransient(error), what)
})
