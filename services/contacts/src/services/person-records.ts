import { withTransaction, type Db } from '@ccm/db'
import type { Events, WriteBuffer, WriteTransaction } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import { invalidInput } from '@ccm/http'
import { errors } from '../errors.ts'
import { personFieldsOf, type PeopleRepository, type Person, type PersonFields } from '../repositories/people.ts'
import { orderedPair, type DistinctPair, type PersonRecordsRepository } from '../repositories/person-records.ts'
import type { PeopleService } from './people.ts'

/** Far above what the listing takes (tens of ms at 100,000 people): only a database in trouble reaches it. */
const DUPLICATES_TIMEOUT_MS = 2_000
/** People whose keys are settled per transaction: a few hundred ms of the database's time. */
const SETTLE_BATCH = 500
/** How long the listing spends settling keys still queued before it reads (after a large import, not all). */
const SETTLE_BEFORE_LISTING_MS = 1_000
const LOCK_NOT_AVAILABLE = '55P03'

const union = (...lists: string[][]) => [...new Set(lists.flat())]

/**
 * The survivor's values win; a duplicate fills what the survivor lacks; lists are joined; "do not contact" is kept if
 * any said so.
 */
export function mergedFields(survivor: PersonFields, duplicates: PersonFields[]): PersonFields {
  const first = <K extends keyof PersonFields>(key: K) =>
    [survivor, ...duplicates].map((p) => p[key]).find((v) => v !== null) ?? null
  const emails: string[] = []
  for (const email of [survivor, ...duplicates].flatMap((p) => p.emails)) {
    if (!emails.some((e) => e.toLowerCase() === email.toLowerCase())) emails.push(email)
  }
  return {
    ...survivor,
    honorific: first('honorific'),
    jobTitle: first('jobTitle'),
    preferredLanguage: first('preferredLanguage'),
    consent: first('consent'),
    notes:
      [survivor, ...duplicates]
        .map((p) => p.notes)
        .filter(Boolean)
        .join('\n\n') || null,
    emails,
    phones: union(survivor.phones, ...duplicates.map((d) => d.phones)),
    languages: union(survivor.languages, ...duplicates.map((d) => d.languages)),
    tags: union(survivor.tags, ...duplicates.map((d) => d.tags)),
    doNotContact: [survivor, ...duplicates].some((p) => p.doNotContact),
  }
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A pattern matching any of the words (longest first, case aside), to blank them out of free text. */
function patternOf(words: string[]): string | null {
  const unique = [...new Set(words.filter((w) => w.trim().length >= 3))].sort((a, b) => b.length - a.length)
  return unique.length ? unique.map(escapeRegex).join('|') : null
}

/**
 * Where the person took part, their family name alone ("Ambassador Odhiambo") is theirs too;
 * elsewhere only the full name, addresses and phones are, a family name being shared by others.
 */
function identityPatterns(people: Pick<Person, 'givenName' | 'familyName' | 'emails' | 'phones'>[]) {
  const specific = people.flatMap((p) => [`${p.givenName} ${p.familyName}`, ...p.emails, ...p.phones])
  return { linked: patternOf([...specific, ...people.map((p) => p.familyName)]), anywhere: patternOf(specific) }
}

function auditJudgement(writes: WriteBuffer, ctx: WriteContext, [a, b]: [string, string], action: string) {
  const audit = { actor: ctx.actor, correlationId: ctx.correlationId, entityType: 'person', action }
  writes.audit({ ...audit, entityId: a, after: { distinctFrom: b } })
  writes.audit({ ...audit, entityId: b, after: { distinctFrom: a } })
}

export function createPersonRecordsService(deps: {
  db: Db
  people: PeopleRepository
  records: PersonRecordsRepository
  peopleService: PeopleService
  events: Pick<Events, 'withWrites'>
}) {
  const { db, people, records, peopleService, events } = deps

  async function judgement(
    id: string,
    otherId: string,
    field: string,
    write: (pair: [string, string], tx: WriteTransaction) => Promise<void>,
  ) {
    if (id === otherId) throw invalidInput(field, 'must be another person')
    const pair = orderedPair(id, otherId)
    return events.withWrites(async ({ client, writes }) => {
      await records.lock(pair, client)
      await peopleService.require(id, client)
      await write(pair, { client, writes })
      return pair
    })
  }

  /** Settles queued keys a batch at a time, until none is left, `until` passes or `stop` is aborted. */
  async function settle(until = Infinity, stop?: AbortSignal): Promise<number> {
    let settled = 0
    while (Date.now() < until && !stop?.aborted) {
      const batch = await settleBatch(until)
      settled += batch
      if (batch < SETTLE_BATCH) break
    }
    return settled
  }

  /**
   * One batch. With a deadline, waiting for another settler's turn counts against it too (lock_timeout): a
   * reader of the listing, however many at once, holds a connection for its second at most, then reads.
   */
  async function settleBatch(until: number): Promise<number> {
    if (until === Infinity) return records.settleMatchKeys(SETTLE_BATCH)
    try {
      return await withTransaction(db, async (client) => {
        await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.trunc(until - Date.now()))}`)
        return records.settleMatchKeys(SETTLE_BATCH, client)
      })
    } catch (error) {
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return 0
      throw error
    }
  }

  return {
    settle,

    /**
     * What writes have queued is settled first, for up to a second; `unsettled` says how many people are left
     * out (while a large import is being worked through). Then bounded twice: a page of flagged keys, and a
     * statement timeout should the database be slow to give it.
     */
    async duplicates(page: { limit: number; offset: number; personId?: string }) {
      await settle(Date.now() + SETTLE_BEFORE_LISTING_MS)
      try {
        return await withTransaction(
          db,
          async (client) => ({
            ...(await records.duplicates(page, client, DUPLICATES_TIMEOUT_MS)),
            unsettled: await records.unsettledPeople(client),
          }),
          { readOnlySnapshot: true },
        )
      } catch (error) {
        if ((error as { code?: string }).code === '57014') throw new errors.DuplicatesScanTooLong()
        throw error
      }
    },

    /**
     * Staff judged the two to be different people: the pair is not flagged again, the judgement is audited under both.
     */
    async markDistinct(id: string, otherId: string, ctx: WriteContext): Promise<DistinctPair & { created: boolean }> {
      let created = false
      const pair = await judgement(id, otherId, 'body.personId', async (pair, { client, writes }) => {
        if (!(await people.get(otherId, client)))
          throw invalidInput('body.personId', `no live person with id ${otherId}`)
        created = await records.markDistinct(pair, ctx.actor, client)
        if (created) auditJudgement(writes, ctx, pair, 'distinct.mark')
      })
      return { ...(await records.getDistinct(pair))!, created }
    },

    async unmarkDistinct(id: string, otherId: string, ctx: WriteContext): Promise<void> {
      await judgement(id, otherId, 'params.otherId', async (pair, { client, writes }) => {
        if (!(await records.unmarkDistinct(pair, client))) throw new errors.DistinctPairNotFound(...pair)
        auditJudgement(writes, ctx, pair, 'distinct.unmark')
      })
    },

    /**
     * Folds the duplicates into the survivor: their emails, roles and interactions move over, they
     * become redirects to the survivor, the merge is recorded and `contacts.person.merged` emitted.
     */
    async merge(
      survivorId: string,
      duplicateIds: string[],
      expected: number | undefined,
      ctx: WriteContext,
    ): Promise<Person> {
      if (duplicateIds.includes(survivorId)) throw invalidInput('body.duplicateIds', 'must not include the person kept')
      return events.withWrites(async ({ client, writes }) => {
        await records.lock([survivorId, ...duplicateIds], client)
        const survivor = await peopleService.require(survivorId, client)
        if (expected !== undefined && survivor.version !== expected)
          throw new errors.StaleVersion(`Person ${survivorId}`, survivor.version, expected)
        const duplicates: Person[] = []
        for (const [index, id] of duplicateIds.entries()) {
          const duplicate = await people.get(id, client)
          if (!duplicate)
            throw invalidInput(
              `body.duplicateIds.${index}`,
              `no live person with id ${id} (unknown, erased or already merged)`,
            )
          duplicates.push(duplicate)
        }
        const before = personFieldsOf(survivor)
        const after = mergedFields(before, duplicates.map(personFieldsOf))
        const survivorHasPrimary = survivor.affiliations.some((a) => a.primary)
        await records.moveOwnership(survivorId, duplicateIds, survivorHasPrimary, client)
        await people.update(survivorId, after, ctx.actor, client)
        await people.setEmails(survivorId, after.emails, client)
        const mergeId = await records.recordMerge(survivorId, duplicateIds, ctx.actor, client)
        // Settled here, so the listing never offers someone who has just been merged away.
        await records.settleMatchKeys(SETTLE_BATCH, client, [survivorId, ...duplicateIds])

        const audit = { actor: ctx.actor, correlationId: ctx.correlationId, entityType: 'person' }
        writes.audit({
          ...audit,
          entityId: survivorId,
          action: `merge.${mergeId}`,
          before: { ...before, mergedIds: [] },
          after: { ...after, mergedIds: duplicateIds },
        })
        for (const id of duplicateIds) {
          writes.audit({
            ...audit,
            entityId: id,
            action: `merged_into.${survivorId}`,
            before: { mergedInto: null },
            after: { mergedInto: survivorId },
          })
        }
        writes.event({
          type: 'contacts.person.merged',
          subject: survivorId,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          data: { survivorId, mergedIds: duplicateIds },
        })
        return peopleService.require(survivorId, client)
      })
    },

    /**
     * The right to erasure (GDPR Art. 17): the person's record, emails, roles and the records merged
     * into it are deleted; interactions stay, without them; audit rows keep what changed and when, not
     * the values, filed under the erasure's reference; import reports, merge records and the outbox
     * forget them; `contacts.person.erased` tells the other services to drop what they hold. The
     * erasure record and that event are all that keep the ids.
     */
    async erase(
      id: string,
      ctx: WriteContext,
    ): Promise<{ id: string; erasedIds: string[]; auditRowsScrubbed: number }> {
      return events.withWrites(async ({ client, writes }) => {
        await records.lock([id], client)
        const person = await peopleService.require(id, client)
        const folded = await records.mergedInto(id, client)
        const ids = [id, ...folded.map((f) => f.id)]
        await records.erase(
          ids,
          identityPatterns([person, ...folded.map((f) => ({ ...f, emails: [], phones: [] }))]),
          client,
        )
        // Their keys go now: no row keeps their id past this transaction but the erasure record.
        await records.settleMatchKeys(ids.length, client, ids)
        const references = await records.recordErasure(ids, ctx.actor, client)
        const auditRowsScrubbed = await records.scrubAudit(ids, client)
        await records.forgetTraces(ids, person.emails, patternOf([...ids, ...person.emails, ...person.phones])!, client)
        writes.audit({
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          entityType: 'person',
          entityId: `erased:${references.get(id)}`,
          action: 'erase',
          after: { erased: true },
        })
        for (const erased of ids) {
          writes.event({
            type: 'contacts.person.erased',
            subject: erased,
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            data: { id: erased },
          })
        }
        return { id, erasedIds: ids, auditRowsScrubbed }
      })
    },
  }
}

export type PersonRecordsService = ReturnType<typeof createPersonRecordsService>
