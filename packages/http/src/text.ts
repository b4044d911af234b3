import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import createError from '@fastify/error'

// U+0000, or a surrogate without its pair (code units, so no `u` flag).
const badText = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const reason = 'must not contain U+0000 or an unpaired surrogate'

/** Whether Postgres would refuse `text` (U+0000) or silently change it (an unpaired surrogate). */
export const isUnstorableText = (text: string): boolean => badText.test(text)

const BadText = createError('CCM_BAD_TEXT', 'A text holds a character that cannot be stored', 400)

/**
 * Parsed JSON, query strings and path parameters: objects with no class of their own (the parsers' have a
 * null-prototype one).
 */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null
}

// Deeper than any resource of ours; a walk that followed a hostile nesting would exhaust the stack.
const MAX_DEPTH = 32
// Enough to name what is wrong; a body of a million bad strings gets no million-line answer.
const MAX_FINDINGS = 20

interface Finding {
  path: string[]
  reason: string
}

/**
 * Where in `value` (`['people', '0', 'name']`), keys included, a string holds bad text or the nesting goes too deep.
 */
function findBadText(value: unknown, path: string[], found: Finding[]): void {
  if (found.length >= MAX_FINDINGS) return
  if (typeof value === 'string') {
    if (badText.test(value)) found.push({ path, reason })
    return
  }
  const isArray = Array.isArray(value)
  if (!isArray && !isRecord(value)) return // never a Buffer (an upload is bytes, not text) nor a stream
  if (path.length >= MAX_DEPTH) {
    found.push({ path, reason: `is nested more than ${MAX_DEPTH} levels deep` })
    return
  }
  if (isArray) {
    value.forEach((item, i) => findBadText(item, [...path, String(i)], found))
    return
  }
  for (const [key, item] of Object.entries(value)) {
    if (badText.test(key)) found.push({ path: [...path, key], reason })
    findBadText(item, [...path, key], found)
  }
}

/**
 * Postgres cannot store U+0000, and an unpaired surrogate is not text (it would be stored as U+FFFD,
 * silently changed): either, anywhere in a request's body, query or path, is a 400 naming the field.
 * Checked once here for every route, before validation, rather than in each schema; so is a nesting
 * deeper than any resource has.
 */
export const textPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', (request, _reply, done) => {
      const parts = [
        ['body', request.body],
        ['querystring', request.query],
        ['params', request.params],
      ] as const
      for (const [validationContext, value] of parts) {
        const found: Finding[] = []
        findBadText(value, [], found)
        if (found.length > 0) {
          const validation = found.map(({ path, reason }) => ({ message: reason, params: { issue: { path } } }))
          return done(Object.assign(new BadText(), { validation, validationContext }))
        }
      }
      done()
    })
  },
  { name: 'ccm-text' },
)
