import t from 'tap'
import { baseConfigSchema, ConfigError, loadConfig } from '@ccm/config'
import { kafkaSecurityOptions } from '../src/index.ts'

t.test('Kafka security settings map to the kafkajs client options', async (t) => {
  t.same(
    kafkaSecurityOptions(loadConfig(baseConfigSchema, { NODE_ENV: 'test' })),
    { ssl: false },
    'plaintext by default',
  )
  t.same(
    kafkaSecurityOptions(
      loadConfig(baseConfigSchema, { NODE_ENV: 'test', KAFKA_SASL_MECHANISM: '', KAFKA_SASL_USERNAME: '' }),
    ),
    { ssl: false },
    'an empty setting (KEY= in .env) is unset',
  )
  const scram = loadConfig(baseConfigSchema, {
    NODE_ENV: 'test',
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'contacts',
    KAFKA_SASL_PASSWORD: 's3cret',
    KAFKA_SSL: 'true',
  })
  t.same(kafkaSecurityOptions(scram), {
    ssl: true,
    sasl: { mechanism: 'scram-sha-512', username: 'contacts', password: 's3cret' },
  })
  const plain = loadConfig(baseConfigSchema, {
    NODE_ENV: 'test',
    KAFKA_SASL_MECHANISM: 'plain',
    KAFKA_SASL_USERNAME: 'u',
    KAFKA_SASL_PASSWORD: 'p',
  })
  t.same(kafkaSecurityOptions(plain), { ssl: false, sasl: { mechanism: 'plain', username: 'u', password: 'p' } })
})

t.test(
  'a SASL mechanism without its credentials, or an unknown one, is refused at start-up, naming the setting',
  async (t) => {
    t.throws(
      () =>
        loadConfig(baseConfigSchema, {
          NODE_ENV: 'test',
          KAFKA_SASL_MECHANISM: 'scram-sha-256',
          KAFKA_SASL_PASSWORD: 'p',
        }),
      new ConfigError(
        'Invalid configuration:\n  KAFKA_SASL_USERNAME: required when KAFKA_SASL_MECHANISM is scram-sha-256',
      ),
    )
    t.throws(
      () => loadConfig(baseConfigSchema, { NODE_ENV: 'test', KAFKA_SASL_MECHANISM: 'scram-sha-256' }),
      /KAFKA_SASL_USERNAME: required[^]*KAFKA_SASL_PASSWORD: required/,
    )
    t.throws(
      () =>
        loadConfig(baseConfigSchema, {
          NODE_ENV: 'test',
          KAFKA_SASL_MECHANISM: 'gssapi',
          KAFKA_SASL_USERNAME: 'u',
          KAFKA_SASL_PASSWORD: 'p',
        }),
      /KAFKA_SASL_MECHANISM/,
    )
    t.throws(() => loadConfig(baseConfigSchema, { NODE_ENV: 'test', KAFKA_SSL: 'yes' }), /KAFKA_SSL/)
  },
)
