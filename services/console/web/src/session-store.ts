/**
 * The session as the whole app sees it, outside React so that the API middleware can read the CSRF token and
 * report a 401. `expired` keeps the last user: the app shows sign-in over the page instead of unmounting it.
 */
export type Role = 'admin' | 'editor' | 'viewer'

export interface SessionUser {
  id: string
  username: string
  displayName: string
  role: Role
  mustChangePassword: boolean
}

export type SessionState =
  | { status: 'loading'; user: null; csrfToken: null }
  | { status: 'signed-out'; user: null; csrfToken: null }
  | { status: 'signed-in'; user: SessionUser; csrfToken: string }
  | { status: 'expired'; user: SessionUser; csrfToken: null }

export interface SessionBody {
  user: SessionUser
  csrfToken: string
}

type Listener = () => void

function createSessionStore() {
  let state: SessionState = { status: 'loading', user: null, csrfToken: null }
  const listeners = new Set<Listener>()
  const set = (next: SessionState) => {
    state = next
    for (const listener of listeners) listener()
  }
  return {
    get: () => state,
    subscribe(listener: Listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    signedIn(body: SessionBody) {
      set({ status: 'signed-in', user: body.user, csrfToken: body.csrfToken })
    },
    signedOut() {
      set({ status: 'signed-out', user: null, csrfToken: null })
    },
    /** A request was refused with 401: the session ended on the server (idle timeout, sign-out elsewhere). */
    expire() {
      if (state.status === 'signed-in') set({ status: 'expired', user: state.user, csrfToken: null })
      else if (state.status === 'loading') set({ status: 'signed-out', user: null, csrfToken: null })
    },
    /** Reads the session again from the server (after a password change, or to check it still lives). */
    async refresh(): Promise<void> {
      const response = await fetch('/api/session', { credentials: 'same-origin' })
      if (response.ok) this.signedIn((await response.json()) as SessionBody)
      else if (response.status === 401) this.expire()
    },
  }
}

export const sessionStore = createSessionStore()
