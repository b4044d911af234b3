import { z } from 'zod'

/** RFC 9457 problem details, as every error response is shaped. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().optional(),
    invalidParams: z.array(z.object({ name: z.string(), reason: z.string() })).optional(),
  })
  .passthrough()
  .meta({ id: 'Problem' })

/**
 * A state's ISO 3166-1 alpha-3 code: taken in either case, always upper case once parsed (`fra` reads
 * as `FRA`), in a path, a body and an event alike. `toUpperCase`, not a transform, so the OpenAPI
 * document still says it is a string.
 */
export const iso3 = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 3166-1 alpha-3 code')
  .toUpperCase()

const calendarDate = 'must be a calendar date, YYYY-MM-DD'
/**
 * A calendar date as `YYYY-MM-DD` that exists (2024-02-29 but not 2025-02-30): zod's ISO date. Dates
 * stay strings, as a date has no time zone; year 0000 is refused too, since Postgres has none.
 */
export const isoDate = z.iso.date({ error: calendarDate }).refine((date) => !date.startsWith('0000'), calendarDate)

/**
 * The version of a record the caller read, sent in a body to change it; `expectedVersion` reads it
 * together with `If-Match`.
 */
export const versionInput = z
  .number()
  .int()
  .min(1)
  .describe('the version you read (or send it as If-Match); a stale one gets 409')

/** Deep pages cost Postgres a scan of every row skipped; past this, a narrower filter serves better. */
export const MAX_OFFSET = 10_000

export const offsetQuery = z.coerce
  .number()
  .int()
  .min(0)
  .max(MAX_OFFSET, `must be at most ${MAX_OFFSET}; narrow the filter instead of paging this deep`)
  .default(0)

export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: offsetQuery,
})

/** A page of a list: the items and enough to ask for the next one. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
}

/**
 * A web address a person may click: http or https only, since `javascript:` or `data:` in a link
 * runs in whoever opens it. Every URL field of every service uses this one.
 */
export const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .url('must be a URL')
  .refine((s) => /^https?:\/\//i.test(s), 'must be an http or https URL')
