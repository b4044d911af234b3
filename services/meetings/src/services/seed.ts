import { readFile } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import type { Db } from '@ccm/db'
import { sourceOf, withWrites } from '@ccm/events'
import { createMeetingsRepository, type MeetingFields } from '../repositories/meetings.ts'
import { meetingScheduled } from './meetings.ts'

const dataPath = new URL('../../data/meetings.json', import.meta.url)
const SEED_ACTOR = 'meetings-seed'

/**
 * Loads the formal meetings of data/meetings.json once: a meeting whose code is present already is left alone (and
 * whatever staff changed in it stays). Each new one emits `meetings.meeting.scheduled`.
 */
export async function seedMeetings(db: Db): Promise<number> {
  const { meetings: rows } = JSON.parse(await readFile(dataPath, 'utf8')) as {
    meetings: (Omit<MeetingFields, 'registrationDeadline'> & { code: string })[]
  }
  const meetings = createMeetingsRepository(db)
  const ctx = { actor: SEED_ACTOR, correlationId: `seed-${randomUUID()}` }
  return withWrites(db, sourceOf('meetings'), async ({ client, writes }) => {
    let inserted = 0
    for (const row of rows) {
      const meeting = await meetings.insert(
        { ...row, registrationDeadline: null, id: randomUUID() },
        SEED_ACTOR,
        client,
      )
      if (!meeting) continue
      meetingScheduled(writes, meeting, ctx)
      inserted++
    }
    return inserted
  })
}
