/**
 * i18next with the English strings bundled (the only complete language so far). Every string on screen goes
 * through `t()`, so French and Spanish need only their JSON file added here. Dates and numbers: see format.ts.
 */
import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from './locale/en.json'

export const defaultNS = 'translation'
export const resources = { en: { translation: en } } as const

void i18n.use(initReactI18next).init({
  lng: 'en',
  fallbackLng: 'en',
  resources,
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  returnNull: false,
})

export default i18n
