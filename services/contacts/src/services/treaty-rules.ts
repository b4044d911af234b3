/**
 * The Convention's rules on a state's standing, as pure functions of dates (YYYY-MM-DD strings).
 * Text: https://www.clusterconvention.org/convention-text/
 */
import type { TreatyStatus } from '@ccm/events'

/** The steps a person records as the depositary received them. */
export const treatyStepKinds = [
  'signature',
  'ratification',
  'acceptance',
  'approval',
  'accession',
  'withdrawal',
  'withdrawal_revocation',
] as const
export type TreatyStepKind = (typeof treatyStepKinds)[number]
/** A history also holds the day a withdrawal took effect, which no instrument marks (Art. 20(3)). */
export const treatyHistoryKinds = [...treatyStepKinds, 'withdrawal_effective'] as const
export type TreatyHistoryKind = (typeof treatyHistoryKinds)[number]

/** The instruments that make a State Party (Art. 16), named as deposited. */
export const joiningInstruments = ['ratification', 'acceptance', 'approval', 'accession'] as const

/** Opened for signature in Oslo (Art. 15). */
export const OPENED_FOR_SIGNATURE_ON = '2008-12-03'
/** Entry into force (Art. 17(1)): also the day signature closed (Art. 15) and the earliest any state was bound. */
export const CONVENTION_IN_FORCE_ON = '2010-08-01'

export interface TreatyRecord {
  status: TreatyStatus
  signedOn: string | null
  depositedOn: string | null
  how: string | null
  entryIntoForceOn: string | null
  withdrawalNoticeOn: string | null
  /** Null while the armed-conflict proviso of Art. 20(3) postpones the withdrawal. */
  withdrawalEffectiveOn: string | null
  withdrawalArmedConflict: boolean
}

/** Where every state's history starts: no signature, no instrument, no withdrawal. */
export const notSigned: Readonly<TreatyRecord> = Object.freeze({
  status: 'not_signed',
  signedOn: null,
  depositedOn: null,
  how: null,
  entryIntoForceOn: null,
  withdrawalNoticeOn: null,
  withdrawalEffectiveOn: null,
  withdrawalArmedConflict: false,
})

/**
 * A State Party that gave notice of withdrawal stays one, and bound, until the withdrawal takes effect (Art. 20(3)).
 */
export const withdrawalPending = (record: TreatyRecord): boolean =>
  record.status === 'state_party' && record.withdrawalNoticeOn !== null

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number)
  return [y!, m!, d!]
}

function format(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Adds months to a date, keeping the day of the month or, if that month is shorter, its last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parts(date)
  const index = y * 12 + (m - 1) + months
  const year = Math.floor(index / 12)
  const month = (index % 12) + 1
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return format(year, month, Math.min(d, lastDay))
}

/**
 * Art. 17(2): for a state depositing after the 30th instrument, the first day of the sixth month
 * after the month of deposit; the first 30 instruments were bound from 1 August 2010 (Art. 17(1)).
 */
export function entryIntoForceFor(depositedOn: string): string {
  const [y, m] = parts(depositedOn)
  const computed = addMonths(format(y, m, 1), 6)
  return computed > CONVENTION_IN_FORCE_ON ? computed : CONVENTION_IN_FORCE_ON
}

/** Art. 20(3): a withdrawal takes effect six months after the notice is received. */
export function withdrawalEffectiveFor(noticeOn: string): string {
  return addMonths(noticeOn, 6)
}

export type StepOutcome = { ok: true; next: TreatyRecord } | { ok: false; reason: string }

const refuse = (reason: string): StepOutcome => ({ ok: false, reason })

/**
 * What a depositary step does to a state's record, or why it cannot happen: a step must fit the
 * state's current status and come after the steps it follows. Dates before the Convention opened
 * or after `today` are refused too.
 */
export function applyTreatyStep(record: TreatyRecord, kind: TreatyStepKind, date: string, today: string): StepOutcome {
  if (date < OPENED_FOR_SIGNATURE_ON)
    return refuse(`${date} is before the Convention opened for signature on ${OPENED_FOR_SIGNATURE_ON}`)
  if (date > today) return refuse(`${date} is in the future; record a step once the depositary has received it`)
  const status = record.status.replace('_', ' ')

  switch (kind) {
    case 'signature':
      if (record.status !== 'not_signed') return refuse(`a ${status} cannot sign; only a state that has not signed can`)
      if (date >= CONVENTION_IN_FORCE_ON) {
        return refuse(
          `signature closed when the Convention entered into force on ${CONVENTION_IN_FORCE_ON} (Art. 15); the state ` +
            `can accede instead (Art. 16(2))`,
        )
      }
      return { ok: true, next: { ...record, status: 'signatory', signedOn: date } }

    case 'ratification':
    case 'acceptance':
    case 'approval':
    case 'accession':
      if (record.status === 'state_party') return refuse('the state is already a State Party')
      // A state that withdrew joins again by whatever instrument it deposits; Art. 16 sorts only first-time joiners.
      if (record.status === 'withdrawn') {
        if (date < record.withdrawalEffectiveOn!)
          return refuse(
            `the withdrawal takes effect on ${record.withdrawalEffectiveOn}; a new instrument cannot be deposited ` +
              `before then`,
          )
        return { ok: true, next: joined(record, kind, date) }
      }
      if (kind === 'accession') {
        if (record.status === 'signatory')
          return refuse('a signatory joins by ratification, acceptance or approval, not accession (Art. 16(2))')
        return { ok: true, next: joined(record, kind, date) }
      }
      if (record.status !== 'signatory')
        return refuse(`${kind} is for signatories (Art. 16(1)); this state is ${status}, so it can accede instead`)
      if (date < record.signedOn!) return refuse(`${kind} on ${date} would precede the signature of ${record.signedOn}`)
      return { ok: true, next: joined(record, kind, date) }

    case 'withdrawal':
      if (record.status !== 'state_party')
        return refuse(`only a State Party can withdraw (Art. 20); this state is ${status}`)
      if (withdrawalPending(record))
        return refuse(`a notice of withdrawal of ${record.withdrawalNoticeOn} is already pending`)
      if (date < record.depositedOn!)
        return refuse(`a withdrawal on ${date} would precede the deposit of ${record.depositedOn}`)
      return {
        ok: true,
        next: {
          ...record,
          withdrawalNoticeOn: date,
          withdrawalEffectiveOn: withdrawalEffectiveFor(date),
          withdrawalArmedConflict: false,
        },
      }

    case 'withdrawal_revocation':
      if (!withdrawalPending(record))
        return refuse(`only a pending notice of withdrawal can be revoked; this state is ${status} with none pending`)
      if (date < record.withdrawalNoticeOn!)
        return refuse(`a revocation on ${date} would precede the notice of ${record.withdrawalNoticeOn}`)
      if (record.withdrawalEffectiveOn && date >= record.withdrawalEffectiveOn)
        return refuse(`the withdrawal took effect on ${record.withdrawalEffectiveOn}; it can no longer be revoked`)
      // As if no notice had been given; the history keeps the notice and its revocation.
      return {
        ok: true,
        next: { ...record, withdrawalNoticeOn: null, withdrawalEffectiveOn: null, withdrawalArmedConflict: false },
      }
  }
}

/** The record once a pending withdrawal has taken effect, if it has by `on`; null if not. */
export function withdrawalTakenEffect(record: TreatyRecord, on: string): TreatyRecord | null {
  if (!withdrawalPending(record) || !record.withdrawalEffectiveOn || record.withdrawalEffectiveOn > on) return null
  return { ...record, status: 'withdrawn' }
}

/**
 * Art. 20(3): "If, however, on the expiry of that six-month period, the withdrawing State Party is engaged
 * in an armed conflict, the withdrawal shall not take effect before the end of the armed conflict."
 * Whether it is, and when the conflict ends, is a judgement no date rule makes: a person records the
 * flag (the effective date becomes unknown) and later the day the withdrawal takes effect.
 */
export function applyArmedConflict(
  record: TreatyRecord,
  input: { armedConflict: boolean; effectiveOn?: string },
): StepOutcome {
  if (!withdrawalPending(record)) return refuse('no notice of withdrawal is pending for this state')
  const sixMonthsOn = withdrawalEffectiveFor(record.withdrawalNoticeOn!)
  if (!input.armedConflict)
    return { ok: true, next: { ...record, withdrawalArmedConflict: false, withdrawalEffectiveOn: sixMonthsOn } }
  if (input.effectiveOn && input.effectiveOn < sixMonthsOn) {
    return refuse(
      `a withdrawal takes effect no earlier than six months after the notice, on ${sixMonthsOn} (Art. 20(3))`,
    )
  }
  return {
    ok: true,
    next: { ...record, withdrawalArmedConflict: true, withdrawalEffectiveOn: input.effectiveOn ?? null },
  }
}

function joined(record: TreatyRecord, how: TreatyStepKind, date: string): TreatyRecord {
  return {
    ...record,
    status: 'state_party',
    depositedOn: date,
    how,
    entryIntoForceOn: entryIntoForceFor(date),
    // A state that withdrew and joins again is bound afresh; the history keeps the earlier membership.
    withdrawalNoticeOn: null,
    withdrawalEffectiveOn: null,
    withdrawalArmedConflict: false,
  }
}
