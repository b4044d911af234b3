import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import createError from '@fastify/error'

// U+0000, or a surrogate without its pair (code units, so no `u` flag).
const badText = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const reason = 'must not contain U+0000 or an unpaired surrogate'

const BadText = createError('CCM_BAD_TEXT', 'A text holds a character that cannot be stored', 400)

/** Parsed JSON, query strings and path parameters: objects with no class of their own (the parsers' have a null-prototype one). */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null
}

/** Paths (`['people', '0', 'name']`) of the strings in `value`, keys included, that hold bad text. */
function findBadText(value: unknown, path: string[], found: string[][]): void {
  if (typeof value === 'string') {
    if (badText.test(value)) found.push(path)
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => findBadText(item, [...path, String(i)], found))
  } else if (isRecord(value)) {
    // Never a Buffer (an upload is bytes, not text) nor a stream.
    for (const [key, item] of Object.entries(value)) {
      if (badText.test(key)) found.push([...path, key])
      findBadText(item, [...path, key], found)
    }
  }
}

/**
 * Postgres cannot store U+0000, and an unpaired surrogate is not text (it would be stored as U+FFFD,
 * silently changed): either, anywhere in a request's body, query or path, is a 400 naming the field.
 * Checked once here for every route, before validation, rather than in each schema.
 */
export const textPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', (request, _reply, done) => {
      const parts = [['body', request.body], ['querystring', request.query], ['params', request.params]] as const
      for (const [validationContext, value] of parts) {
        const found: string[][] = []
        findBadText(value, [], found)
        if (found.length > 0) {
          const validation = found.map((path) => ({ message: reason, params: { issue: { path } } }))
          return done(Object.assign(new BadText(), { validation, validationContext }))
        }
      }
      done()
    })
  },
  { name: 'ccm-text' },
)
