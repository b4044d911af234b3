import type { Queryable } from '@ccm/db'
import { delegationCapacities } from '@ccm/events'

export { delegationCapacities }
export type Capacity = (typeof delegationCapacities)[number]
/** In the order a delegation's members are listed. */
export const memberFunctions = ['head_of_delegation', 'deputy_head_of_delegation', 'delegate', 'adviser'] as const
export type MemberFunction = (typeof memberFunctions)[number]

export interface Delegation {
  id: string
  meetingId: string
  iso3: string | null
  organizationId: string | null
  name: string
  capacity: Capacity
  regionalGroup: string | null
  credentialsReceivedOn: string | null
  members: number
  version: number
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
}

export interface Participant {
  id: string
  delegationId: string
  personId: string
  name: string
  function: MemberFunction
  /** The days attended, in order. */
  attended: string[]
}

// pg's rows are untyped; each is mapped to its typed record here, at the SQL boundary.
type Row = Record<string, any>

const toDelegation = (r: Row): Delegation => ({
  id: r.id,
  meetingId: r.meeting_id,
  iso3: r.iso3,
  organizationId: r.organization_id,
  name: r.name,
  capacity: r.capacity,
  regionalGroup: r.regional_group,
  credentialsReceivedOn: r.credentials_received_on,
  members: r.members ?? 0,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
})

const toParticipant = (r: Row): Participant => ({
  id: r.id,
  delegationId: r.delegation_id,
  personId: r.person_id,
  name: r.name,
  function: r.function,
  attended: r.attended ?? [],
})

const withMembers = `SELECT d.*, (SELECT count(*)::int FROM participants p WHERE p.delegation_id = d.id) AS members
                       FROM delegations d`
const withAttendance = `SELECT p.*, coalesce((SELECT array_agg(a.day::text ORDER BY a.day) FROM attendance a
                                               WHERE a.participant_id = p.id), '{}') AS attended
                          FROM participants p`

export type NewDelegation = Pick<
  Delegation,
  'id' | 'meetingId' | 'iso3' | 'organizationId' | 'name' | 'capacity' | 'regionalGroup' | 'credentialsReceivedOn'
>
export type NewParticipant = Pick<Participant, 'id' | 'personId' | 'name' | 'function'>

/** One line of the list of participants, in the order the ISU publishes it. */
export interface ListLine {
  capacity: Capacity
  delegation: string
  iso3: string | null
  name: string
  function: MemberFunction
  credentialsReceivedOn: string | null
}

export function createDelegationsRepository(db: Queryable) {
  return {
    /** Null when the state or organisation has a delegation at the meeting already. */
    async insert(d: NewDelegation, actor: string, client: Queryable = db): Promise<Delegation | null> {
      const { rows } = await client.query(
        `INSERT INTO delegations (id, meeting_id, iso3, organization_id, name, capacity, regional_group,
                                  credentials_received_on, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT DO NOTHING RETURNING *`,
        [
          d.id,
          d.meetingId,
          d.iso3,
          d.organizationId,
          d.name,
          d.capacity,
          d.regionalGroup,
          d.credentialsReceivedOn,
          actor,
        ],
      )
      return rows[0] ? toDelegation(rows[0]) : null
    },

    async get(meetingId: string, id: string, client: Queryable = db): Promise<Delegation | null> {
      const { rows } = await client.query(`${withMembers} WHERE d.meeting_id = $1 AND d.id = $2`, [meetingId, id])
      return rows[0] ? toDelegation(rows[0]) : null
    },

    async getForUpdate(meetingId: string, id: string, client: Queryable): Promise<Delegation | null> {
      const { rows } = await client.query(
        `SELECT *, NULL AS members FROM delegations WHERE meeting_id = $1 AND id = $2 FOR UPDATE`,
        [meetingId, id],
      )
      return rows[0] ? toDelegation(rows[0]) : null
    },

    async ofMeeting(meetingId: string, client: Queryable = db): Promise<Delegation[]> {
      const { rows } = await client.query(`${withMembers} WHERE d.meeting_id = $1 ORDER BY d.name`, [meetingId])
      return rows.map(toDelegation)
    },

    async setCredentials(id: string, on: string | null, actor: string, client: Queryable): Promise<Delegation> {
      const { rows } = await client.query(
        `UPDATE delegations SET credentials_received_on = $2, version = version + 1, updated_at = now(), updated_by = $3
          WHERE id = $1 RETURNING *`,
        [id, on, actor],
      )
      return toDelegation(rows[0])
    },

    /**
     * Adds the members in one statement; returns the person ids already registered for the meeting (in any
     * delegation), which are left as they were.
     */
    async addParticipants(
      delegation: Pick<Delegation, 'id' | 'meetingId'>,
      people: NewParticipant[],
      actor: string,
      client: Queryable,
    ): Promise<{ added: Participant[]; alreadyRegistered: string[] }> {
      const { rows } = await client.query(
        `INSERT INTO participants (id, delegation_id, meeting_id, person_id, name, function, created_by)
         SELECT id, $1, $2, person_id, name, function, $3
           FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::text[]) AS p(id, person_id, name, function)
         ON CONFLICT (meeting_id, person_id) DO NOTHING RETURNING *`,
        [
          delegation.id,
          delegation.meetingId,
          actor,
          people.map((p) => p.id),
          people.map((p) => p.personId),
          people.map((p) => p.name),
          people.map((p) => p.function),
        ],
      )
      const added = rows.map(toParticipant)
      const addedIds = new Set(added.map((p) => p.personId))
      return { added, alreadyRegistered: people.map((p) => p.personId).filter((id) => !addedIds.has(id)) }
    },

    async participantsOf(delegationId: string, client: Queryable = db): Promise<Participant[]> {
      const { rows } = await client.query(
        `${withAttendance} WHERE p.delegation_id = $1
          ORDER BY array_position($2::text[], p.function), p.name, p.id`,
        [delegationId, memberFunctions],
      )
      return rows.map(toParticipant)
    },

    /** Records the days for those of `personIds` who are members; returns how many of them were. */
    async recordAttendance(
      delegationId: string,
      personIds: string[],
      day: string,
      actor: string,
      client: Queryable,
    ): Promise<{ members: string[] }> {
      const { rows } = await client.query(
        `WITH members AS (SELECT id, person_id FROM participants
                            WHERE delegation_id = $1 AND person_id = ANY($2::uuid[])),
              recorded AS (INSERT INTO attendance (participant_id, day, recorded_by) SELECT id, $3, $4 FROM members
                           ON CONFLICT DO NOTHING)
         SELECT person_id FROM members`,
        [delegationId, personIds, day, actor],
      )
      return { members: rows.map((r) => r.person_id) }
    },

    /**
     * Every member of every delegation, in the order the ISU publishes the list: States Parties, signatories,
     * observer states, then organisations (international, non-governmental, other, together); delegations
     * alphabetically by name within each, by an ICU collation (accents aside: Côte d'Ivoire among the Cs, whatever
     * the database's locale); within a delegation its head first, then deputies, delegates and advisers.
     */
    async listLines(meetingId: string, client: Queryable = db): Promise<ListLine[]> {
      // Delegations are put in order first (150 rows), so the collation compares a participant's name only with those
      // of their own delegation and function. Named, so each connection plans it once.
      const { rows } = await client.query({
        name: 'delegations-list-lines',
        text: `WITH ordered AS (
           SELECT d.*, row_number() OVER (
                    ORDER BY d.iso3 IS NULL,
                             CASE WHEN d.iso3 IS NULL THEN 0 ELSE array_position($2::text[], d.capacity) END,
                             d.name COLLATE "en-x-icu", d.id) AS position
             FROM delegations d WHERE d.meeting_id = $1)
         SELECT d.capacity, d.name AS delegation, d.iso3, p.name, p.function, d.credentials_received_on
           FROM participants p JOIN ordered d ON d.id = p.delegation_id
          WHERE p.meeting_id = $1
          ORDER BY d.position, array_position($3::text[], p.function), p.name COLLATE "en-x-icu"`,
        values: [meetingId, delegationCapacities, memberFunctions],
      })
      return rows.map((r) => ({
        capacity: r.capacity,
        delegation: r.delegation,
        iso3: r.iso3,
        name: r.name,
        function: r.function,
        credentialsReceivedOn: r.credentials_received_on,
      }))
    },
  }
}

export type DelegationsRepository = ReturnType<typeof createDelegationsRepository>
