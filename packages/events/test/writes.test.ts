import t from 'tap'
import { auditMigrations, createPool, pipelined, withTransaction, type Db } from '@ccm/db'
import { createTestDatabase } from '@ccm/testing'
import { eventsMigrations, withWrites } from '../src/index.ts'

// Transactions on pipelined connections: BEGIN goes out with the first statement and COMMIT with the
// buffered writes, so each case checks that what must not commit did not.
t.test('a transaction with buffered writes', async (t) => {
  const database = await createTestDatabase('ccm_events_writes', [auditMigrations, eventsMigrations])
  const db: Db = createPool(database.url, { max: 2 })
  t.teardown(async () => {
    await db.end()
    await database.drop()
  })
  await db.query('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)')
  const count = async (table: string, where = 'true') =>
    (await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`)).rows[0].n as number
  const stateRegistered = (iso3: string) => ({
    type: 'contacts.state.registered' as const,
    subject: iso3,
    actor: 'tester',
    correlationId: `c-${iso3}`,
    data: {
      iso3,
      name: 'Kenya',
      status: 'signatory' as const,
      unStatus: 'member',
      regionalGroup: 'African',
      signedOn: '2008-12-03',
      depositedOn: null,
      how: null,
      entryIntoForceOn: null,
      withdrawalNoticeOn: null,
      withdrawalEffectiveOn: null,
    },
  })

  t.test('commits the change, its audit rows and its events together', async (t) => {
    const result = await withWrites(db, '/test', async ({ client, writes }) => {
      await client.query(`INSERT INTO notes VALUES (1, 'kept')`)
      writes.audit({ actor: 'tester', entityType: 'note', entityId: '1', action: 'create', after: { body: 'kept' } })
      writes.event(stateRegistered('KEN'))
      return 'done'
    })
    t.equal(result, 'done')
    t.equal(await count('notes', 'id = 1'), 1)
    t.equal(await count('audit_log', `entity_type = 'note' AND entity_id = '1'`), 1)
    t.equal(await count('outbox', `aggregate_id = 'KEN'`), 1)
  })

  t.test(
    'what a large write stores as it goes commits with the rest, or rolls back with it, and is not handed over',
    async (t) => {
      const handedOver: string[] = []
      const handoff = {
        writerId: 'w-test',
        committed: (envelopes: { subject: string }[]) => handedOver.push(...envelopes.map((e) => e.subject)),
      }
      await withWrites(
        db,
        '/test',
        async ({ client, writes }) => {
          writes.audit({ actor: 'tester', entityType: 'note', entityId: '20', action: 'chunk' })
          writes.event(stateRegistered('TZA'))
          await writes.storeNow(client)
          t.equal(
            (await client.query(`SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = 'TZA' AND writer_id = ''`))
              .rows[0].n,
            1,
            'stored in the transaction, for the relay to read',
          )
          writes.event(stateRegistered('RWA'))
        },
        handoff,
      )
      t.equal(await count('audit_log', `entity_id = '20'`), 1)
      t.same(handedOver, ['RWA'], 'only what was stored with the commit is handed over')
      await t.rejects(
        withWrites(db, '/test', async ({ client, writes }) => {
          writes.event(stateRegistered('BDI'))
          await writes.storeNow(client)
          throw new Error('a later chunk fails')
        }),
      )
      t.equal(await count('outbox', `aggregate_id = 'BDI'`), 0, 'rolled back with the transaction')
    },
  )

  t.test('an event the catalogue refuses fails the transaction before its COMMIT is sent', async (t) => {
    const refused = withWrites(db, '/test', async ({ client, writes }) => {
      await client.query(`INSERT INTO notes VALUES (2, 'not kept')`)
      writes.audit({
        actor: 'tester',
        entityType: 'note',
        entityId: '2',
        action: 'create',
        after: { body: 'not kept' },
      })
      writes.event({
        ...stateRegistered('UGA'),
        // Deliberately not a status the catalogue allows: the write must be refused.
        data: { ...stateRegistered('UGA').data, status: 'no_such_status' as never },
      })
    })
    await t.rejects(refused)
    t.equal(await count('notes', 'id = 2'), 0, 'the change is rolled back')
    t.equal(await count('audit_log', `entity_id = '2'`), 0)
    t.equal(await count('outbox', `aggregate_id = 'UGA'`), 0)
  })

  t.test('a failing final statement leaves nothing behind: the COMMIT behind it rolls back', async (t) => {
    const failed = withWrites(db, '/test', async ({ client, writes }) => {
      await client.query(`INSERT INTO notes VALUES (3, 'not kept')`)
      writes.audit({
        actor: 'tester',
        entityType: 'note',
        entityId: '3',
        action: 'create',
        after: { body: 'not kept' },
      })
      await client.query('ALTER TABLE audit_log ADD CONSTRAINT no_notes CHECK (entity_type <> $$note$$)')
    })
    await t.rejects(
      failed,
      { code: '23514' },
      'the audit insert breaks the check constraint added in the same transaction',
    )
    t.equal(await count('notes', 'id = 3'), 0)
  })

  t.test('a statement error that work swallows does not pass for a commit', async (t) => {
    const swallowed = withWrites(db, '/test', async ({ client }) => {
      await client.query(`INSERT INTO notes VALUES (4, 'not kept')`)
      await client.query(`INSERT INTO notes VALUES (4, 'duplicate')`).catch(() => {})
      return 'looks fine'
    })
    await t.rejects(swallowed, /rolled back/)
    t.equal(await count('notes', 'id = 4'), 0)
  })

  t.test('work that throws rolls back what it sent', async (t) => {
    await t.rejects(
      withWrites(db, '/test', async ({ client }) => {
        await client.query(`INSERT INTO notes VALUES (5, 'not kept')`)
        throw new Error('changed my mind')
      }),
      /changed my mind/,
    )
    t.equal(await count('notes', 'id = 5'), 0)
  })

  t.test('statements sent together report the first failure in the order sent', async (t) => {
    const together = withWrites(db, '/test', async ({ client }) => {
      const [first] = await pipelined([
        client.query(`SELECT 1 AS one`),
        client.query(`INSERT INTO notes VALUES (6, NULL)`),
        client.query(`INSERT INTO notes VALUES (7, 'after the failure')`),
      ])
      return first
    })
    await t.rejects(together, { code: '23502' }, 'the not-null violation, not the aborted transaction after it')
    t.equal(await count('notes', 'id IN (6, 7)'), 0)
    const [one, two] = await pipelined([db.query('SELECT 1 AS n'), db.query('SELECT 2 AS n')])
    t.same([one.rows[0].n, two.rows[0].n], [1, 2], 'and their results in that order when all succeed')
  })

  t.test('a read-only snapshot reads as of one moment and writes nothing', async (t) => {
    const [before, after] = await withTransaction(
      db,
      async (client) => {
        const first = (await client.query('SELECT count(*)::int AS n FROM notes')).rows[0].n
        await db.query(`INSERT INTO notes VALUES (10, 'committed between the reads')`)
        return [first, (await client.query('SELECT count(*)::int AS n FROM notes')).rows[0].n]
      },
      { readOnlySnapshot: true },
    )
    t.equal(after, before, 'the second read does not see what was committed after the first')
    await t.rejects(
      withTransaction(db, (client) => client.query(`INSERT INTO notes VALUES (11, 'refused')`), {
        readOnlySnapshot: true,
      }),
      { code: '25006' },
    )
  })
})
