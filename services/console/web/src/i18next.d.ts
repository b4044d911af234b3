// Types `t()` keys against the English file, so a missing or misspelt key fails the typecheck.
import 'i18next'
import type { defaultNS, resources } from './i18n'

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: typeof defaultNS
    resources: (typeof resources)['en']
  }
}
