import { z } from 'zod'
import { invalidField } from '../errors.ts'
import { isRealDate } from '../services/dates.ts'

export const isoDate = z.string().refine(isRealDate, 'must be a calendar date, YYYY-MM-DD')
export const iso3 = z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 3166-1 alpha-3 code').transform((s) => s.toUpperCase())
export const regionalGroups = ['African', 'Asia-Pacific', 'Eastern European', 'GRULAC', 'WEOG'] as const
export const treatyStatuses = ['state_party', 'signatory', 'withdrawn', 'not_signed'] as const

export const campaignIdParam = z.object({ id: z.string().uuid('must be a campaign id (a UUID)') })
export const targetParams = campaignIdParam.extend({ iso3 })

export const version = z.number().int().min(1).optional().describe('the version you read; a stale one gets 409 (or send If-Match)')

/** What every updatable record says about itself: its version, and who wrote it when. */
export const recordStamps = {
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}

/** The version the caller last read, from the body or an `If-Match: "3"` header; 400 if they disagree. */
export function expectedVersion(bodyVersion: number | undefined, ifMatch: string | string[] | undefined): number | undefined {
  const header = Array.isArray(ifMatch) ? ifMatch[0] : ifMatch
  if (header === undefined) return bodyVersion
  const parsed = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim())
  if (!parsed) throw invalidField('headers.if-match', 'must be a version number, e.g. "3"')
  const fromHeader = Number(parsed[1])
  if (bodyVersion !== undefined && bodyVersion !== fromHeader) throw invalidField('headers.if-match', 'disagrees with body.version')
  return fromHeader
}
