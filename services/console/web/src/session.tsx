/**
 * `useSession()`: the signed-in user, the CSRF token, `can(role)` (admin ≥ editor ≥ viewer) and the session's
 * actions: sign in, sign out, change password. Pages render only inside a session, so `user` is always set there.
 */
import { useSyncExternalStore } from 'react'
import { consoleFetch } from './api/client'
import { sessionStore, type Role, type SessionBody, type SessionState, type SessionUser } from './session-store'

export type { Role, SessionUser } from './session-store'

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 }

/** The raw session state (loading, signed out, signed in, expired), for the app's root. */
export function useSessionState(): SessionState {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get)
}

export async function signIn(username: string, password: string): Promise<SessionUser> {
  const body = await consoleFetch<SessionBody>('/session', { method: 'POST', json: { username, password } })
  sessionStore.signedIn(body)
  return body.user
}

export async function signOut(): Promise<void> {
  try {
    await consoleFetch<void>('/session', { method: 'DELETE' })
  } finally {
    sessionStore.signedOut()
  }
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await consoleFetch<void>('/session/password', { method: 'POST', json: { currentPassword, newPassword } })
  await sessionStore.refresh()
}

/** Loads the session at start: a 401 means signed out. */
export async function loadSession(): Promise<void> {
  try {
    await sessionStore.refresh()
  } catch {}
  if (sessionStore.get().status === 'loading') sessionStore.signedOut()
}

export interface Session {
  user: SessionUser
  csrfToken: string | null
  can: (role: Role) => boolean
  signOut: typeof signOut
  changePassword: typeof changePassword
}

export function useSession(): Session {
  const state = useSessionState()
  if (!state.user) throw new Error('useSession() outside a session')
  const user = state.user
  return {
    user,
    csrfToken: state.csrfToken,
    can: (role) => RANK[user.role] >= RANK[role],
    signOut,
    changePassword,
  }
}
