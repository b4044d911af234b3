import { parsePhoneNumberFromString } from 'libphonenumber-js'

/**
 * What duplicate detection compares a number by: E.164 when it is written with its country code
 * ("+41 (0)22 917 12 34" and "0041 22 917 12 34" are both +41229171234). There is no default
 * region to guess one from, so a number without it keeps its digits only, and matches the same
 * digits written another way, not the international form.
 */
export function phoneKey(text: string): string {
  const international = text.trim().replace(/^00/, '+')
  const parsed = international.startsWith('+') ? parsePhoneNumberFromString(international) : undefined
  return parsed?.number ?? international.replace(/[^\d+]/g, '')
}

export const phoneKeys = (phones: string[]) => [...new Set(phones.map(phoneKey))]
