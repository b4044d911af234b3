import type { Queryable } from '@ccm/db'

/** A meeting as seen from one person or one state: the meetings-side timeline the console merges with contacts'. */
export interface TimelineEntry {
  meetingId: string
  title: string
  kind: string
  startsOn: string | null
  endsOn: string | null
  delegationId: string
  delegation: string
  capacity: string
  /** The person's function (a person's timeline), or null (a state's). */
  function: string | null
  /** Days attended: the person's, or any member's of the state's delegation. */
  attended: string[]
  /** Members registered (a state's timeline), or null (a person's). */
  members: number | null
}

// pg's rows are untyped; each is mapped to its typed record here, at the SQL boundary.
type Row = Record<string, any>

const toEntry = (r: Row): TimelineEntry => ({
  meetingId: r.meeting_id,
  title: r.title,
  kind: r.kind,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  delegationId: r.delegation_id,
  delegation: r.delegation,
  capacity: r.capacity,
  function: r.function ?? null,
  attended: r.attended ?? [],
  members: r.members ?? null,
})

/** Where the ids of contacts' people are held here: participants and sponsorship applications. */
export function createPeopleRepository(db: Queryable) {
  return {
    async meetingsOfPerson(personId: string, client: Queryable = db): Promise<TimelineEntry[]> {
      const { rows } = await client.query(
        `SELECT m.id AS meeting_id, m.title, m.kind, m.starts_on, m.ends_on, d.id AS delegation_id,
                d.name AS delegation, d.capacity, p.function,
                coalesce((SELECT array_agg(a.day::text ORDER BY a.day) FROM attendance a WHERE a.participant_id = p.id),
                         '{}') AS attended
           FROM participants p JOIN delegations d ON d.id = p.delegation_id JOIN meetings m ON m.id = p.meeting_id
          WHERE p.person_id = $1 ORDER BY m.starts_on DESC NULLS FIRST, m.id`,
        [personId],
      )
      return rows.map(toEntry)
    },

    async meetingsOfState(iso3: string, client: Queryable = db): Promise<TimelineEntry[]> {
      const { rows } = await client.query(
        `SELECT m.id AS meeting_id, m.title, m.kind, m.starts_on, m.ends_on, d.id AS delegation_id,
                d.name AS delegation, d.capacity,
                (SELECT count(*)::int FROM participants p WHERE p.delegation_id = d.id) AS members,
                coalesce((SELECT array_agg(DISTINCT a.day::text ORDER BY a.day::text)
                            FROM attendance a JOIN participants p ON p.id = a.participant_id
                           WHERE p.delegation_id = d.id), '{}') AS attended
           FROM delegations d JOIN meetings m ON m.id = d.meeting_id
          WHERE d.iso3 = $1 ORDER BY m.starts_on DESC NULLS FIRST, m.id`,
        [iso3],
      )
      return rows.map(toEntry)
    },

    /**
     * `contacts.person.erased`: their participation goes (with its attendance); their sponsorship applications stay,
     * for the money, without their id, name or motivation; audit rows about either keep what changed and when, not
     * the values.
     */
    async forget(personId: string, client: Queryable): Promise<{ participants: number; applications: number }> {
      const { rows: named } = await client.query(
        `SELECT name FROM participants WHERE person_id = $1
         UNION SELECT person_name FROM sponsorship_applications WHERE person_id = $1 AND person_name IS NOT NULL`,
        [personId],
      )
      const removed = await client.query(`DELETE FROM participants WHERE person_id = $1 RETURNING id`, [personId])
      const cleared = await client.query(
        `UPDATE sponsorship_applications SET person_id = NULL, person_name = NULL, motivation = NULL
          WHERE person_id = $1 RETURNING id`,
        [personId],
      )
      const entityIds = [...removed.rows, ...cleared.rows].map((r) => String(r.id))
      const personal = `'{personId,name,personName,motivation}'::text[]`
      await client.query(
        `UPDATE audit_log SET before = before - ${personal}, after = after - ${personal}
          WHERE entity_id = ANY($1::text[])`,
        [entityIds],
      )
      // A decision's reason may name them: the names given here are replaced wherever they were written.
      for (const { name } of named) {
        await client.query(
          `UPDATE sponsorship_applications SET decision_reason = replace(decision_reason, $2, '[erased]')
            WHERE id = ANY($1::uuid[])`,
          [cleared.rows.map((r) => r.id), name],
        )
        await client.query(
          `UPDATE audit_log SET before = replace(before::text, $2, '[erased]')::jsonb,
                                after = replace(after::text, $2, '[erased]')::jsonb
            WHERE entity_id = ANY($1::text[])`,
          [entityIds, name],
        )
      }
      // Anything else that names the id (a merge's audit row) keeps the fact, not the id.
      await client.query(`UPDATE audit_log SET entity_id = '[erased person]' WHERE entity_id = $1`, [personId])
      await client.query(
        `UPDATE audit_log
            SET before = regexp_replace(before::text, $1, '[erased person]', 'gi')::jsonb,
                after = regexp_replace(after::text, $1, '[erased person]', 'gi')::jsonb
          WHERE before::text ILIKE '%' || $1 || '%' OR after::text ILIKE '%' || $1 || '%'`,
        [personId],
      )
      return { participants: removed.rowCount ?? 0, applications: cleared.rowCount ?? 0 }
    },

    /**
     * `contacts.person.merged`: the records merged into the survivor become the survivor's. Where both were
     * registered for one meeting, the survivor's registration stays and takes the other's days attended.
     */
    async merge(survivorId: string, mergedIds: string[], client: Queryable): Promise<number> {
      await client.query(
        `INSERT INTO attendance (participant_id, day, recorded_at, recorded_by)
         SELECT s.id, a.day, a.recorded_at, a.recorded_by
           FROM participants m JOIN participants s ON s.meeting_id = m.meeting_id AND s.person_id = $1
           JOIN attendance a ON a.participant_id = m.id
          WHERE m.person_id = ANY($2::uuid[])
         ON CONFLICT DO NOTHING`,
        [survivorId, mergedIds],
      )
      await client.query(
        `DELETE FROM participants m WHERE m.person_id = ANY($2::uuid[])
            AND EXISTS (SELECT 1 FROM participants s WHERE s.meeting_id = m.meeting_id AND s.person_id = $1)`,
        [survivorId, mergedIds],
      )
      // Two merged records registered for one meeting: the first keeps it.
      await client.query(
        `DELETE FROM participants m WHERE m.person_id = ANY($1::uuid[])
            AND EXISTS (SELECT 1 FROM participants o WHERE o.meeting_id = m.meeting_id
                           AND o.person_id = ANY($1::uuid[]) AND o.id < m.id)`,
        [mergedIds],
      )
      const moved = await client.query(`UPDATE participants SET person_id = $1 WHERE person_id = ANY($2::uuid[])`, [
        survivorId,
        mergedIds,
      ])
      const applications = await client.query(
        `UPDATE sponsorship_applications SET person_id = $1 WHERE person_id = ANY($2::uuid[])`,
        [survivorId, mergedIds],
      )
      return (moved.rowCount ?? 0) + (applications.rowCount ?? 0)
    },
  }
}

export type PeopleRepository = ReturnType<typeof createPeopleRepository>
