import { readFile } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { parse } from 'csv-parse/sync'
import type { Db } from '@ccm/db'
import { withWrites } from '@ccm/events'
import { createStatesRepository, type State } from '../repositories/states.ts'
import {
  applyTreatyStep,
  notSigned,
  withdrawalTakenEffect,
  type StepOutcome,
  type TreatyHistoryKind,
  type TreatyRecord,
  type TreatyStepKind,
} from './treaty-rules.ts'
import { stateSnapshotOf } from './states.ts'

const csvPath = new URL('../../data/ccm-states.csv', import.meta.url)
const SEED_ACTOR = 'registry-seed'

interface CsvRow {
  name: string
  iso3: string
  status: State['status']
  signed: string
  ratified_or_acceded: string
  how: string
  entry_into_force: string
  withdrawal_notice: string
  withdrawal_effective: string
  un_status: string
  un_regional_group: string
  source: string
}

const orNull = (value: string) => (value === '' ? null : value)

/** The steps behind a row, oldest first, so a seeded state has the same history as one recorded live. */
function stepsOf(row: CsvRow): { kind: TreatyHistoryKind; date: string }[] {
  const steps: { kind: TreatyHistoryKind; date: string }[] = []
  if (row.signed) steps.push({ kind: 'signature', date: row.signed })
  if (row.ratified_or_acceded) steps.push({ kind: row.how as TreatyStepKind, date: row.ratified_or_acceded })
  if (row.withdrawal_notice) steps.push({ kind: 'withdrawal', date: row.withdrawal_notice })
  if (row.status === 'withdrawn') steps.push({ kind: 'withdrawal_effective', date: row.withdrawal_effective })
  return steps
}

function replay(record: TreatyRecord, step: { kind: TreatyHistoryKind; date: string }): StepOutcome {
  if (step.kind !== 'withdrawal_effective') return applyTreatyStep(record, step.kind, step.date, '9999-12-31')
  const next = withdrawalTakenEffect(record, step.date)
  return next ? { ok: true, next } : { ok: false, reason: `no withdrawal takes effect on ${step.date}` }
}

/**
 * Loads the 197 states of data/ccm-states.csv, with their history, once: states already present are
 * left alone. Each new state emits `contacts.state.registered`, the snapshot other services start from.
 */
export async function seedStates(db: Db): Promise<number> {
  const rows: CsvRow[] = parse(await readFile(csvPath), { columns: true, skip_empty_lines: true, trim: true })
  const states = createStatesRepository(db)
  const correlationId = `seed-${randomUUID()}`
  // No relay to hand the events to here (a command, not the service): the service's relay reads them from the outbox.
  return withWrites(db, '/ccm/contacts', async ({ client, writes }) => {
    let inserted = 0
    for (const row of rows) {
      const record: TreatyRecord = {
        status: row.status,
        signedOn: orNull(row.signed),
        depositedOn: orNull(row.ratified_or_acceded),
        how: orNull(row.how),
        entryIntoForceOn: orNull(row.entry_into_force),
        withdrawalNoticeOn: orNull(row.withdrawal_notice),
        withdrawalEffectiveOn: orNull(row.withdrawal_effective),
        withdrawalArmedConflict: false,
      }
      const state = await states.insertIfMissing(
        {
          iso3: row.iso3,
          name: row.name,
          unStatus: row.un_status,
          regionalGroup: orNull(row.un_regional_group),
          ...record,
        },
        SEED_ACTOR,
        client,
      )
      if (!state) continue
      inserted += 1
      let current: TreatyRecord = notSigned
      for (const step of stepsOf(row)) {
        const outcome = replay(current, step)
        if (!outcome.ok) throw new Error(`data/ccm-states.csv, ${row.iso3}: ${outcome.reason}`)
        await states.addStep(
          {
            iso3: row.iso3,
            kind: step.kind,
            date: step.date,
            source: row.source || null,
            fromStatus: current.status,
            toStatus: outcome.next.status,
            recordedBy: SEED_ACTOR,
          },
          client,
        )
        current = outcome.next
      }
      if (current.status !== row.status)
        throw new Error(`data/ccm-states.csv, ${row.iso3}: its steps lead to ${current.status}, not ${row.status}`)
      writes.event({
        type: 'contacts.state.registered',
        subject: row.iso3,
        actor: SEED_ACTOR,
        correlationId,
        data: stateSnapshotOf(state),
      })
    }
    return inserted
  })
}
