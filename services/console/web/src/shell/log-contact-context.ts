/**
 * Opening the "Log contact" form from anywhere. A page says what it is about with `useLogContactPrefill`
 * (the state page: its state), so the header button and the shortcut open the form prefilled from that page;
 * `openLogContact(prefill)` opens it with a prefill of its own (a button on a person's row).
 */
import { createContext, useContext, useEffect } from 'react'

export interface LogContactPrefill {
  states?: string[]
  organizations?: { id: string; name: string }[]
  people?: { id: string; name: string }[]
}

export interface LogContactApi {
  openLogContact: (prefill?: LogContactPrefill) => void
  setPagePrefill: (prefill: LogContactPrefill | null) => void
}

export const LogContactContext = createContext<LogContactApi>({ openLogContact: () => {}, setPagePrefill: () => {} })

export function useLogContact(): LogContactApi {
  return useContext(LogContactContext)
}

/** Declares what the current page is about, for the form opened by the header button or the shortcut. */
export function useLogContactPrefill(prefill: LogContactPrefill | null): void {
  const { setPagePrefill } = useLogContact()
  const key = JSON.stringify(prefill)
  useEffect(() => {
    setPagePrefill(key === 'null' ? null : (JSON.parse(key) as LogContactPrefill))
    return () => setPagePrefill(null)
  }, [key, setPagePrefill])
}
