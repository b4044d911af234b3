import { withWrites, sourceOf } from '@ccm/events'
import type { Db } from '@ccm/db'
import { createUsersRepository } from '../repositories/users.ts'
import { createUsersService } from '../services/users.ts'
import type { SessionStore } from '../services/sessions.ts'

/** Making the first admin ends nobody's session: none can exist yet. */
const noSessions: Pick<SessionStore, 'endAll'> = { endAll: async () => [] }

/** The users service on `db`, for the commands run from a terminal (their writes audited as `actor`). */
export function terminalUsersService(db: Db, sessions: Pick<SessionStore, 'endAll'> = noSessions) {
  const source = sourceOf('console')
  return createUsersService({
    users: createUsersRepository(db),
    events: { withWrites: (work) => withWrites(db, source, work) },
    sessions,
  })
}

/** The first admin's one-time password when there was no user, else null. */
export function bootstrapAdmin(db: Db): Promise<string | null> {
  return terminalUsersService(db).bootstrap({ actor: 'console:bootstrap', correlationId: 'bootstrap' })
}
