import type { FastifyRequest } from 'fastify'
import { invalidInput } from './errors.ts'

/**
 * The version the caller read, from `If-Match` (`"3"`, `W/"3"` or `3`) or else the body's `version`.
 * One of them is required: a write that says nothing about what it read could undo someone else's.
 */
export function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined): number {
  const header = request.headers['if-match']
  if (typeof header === 'string') {
    const match = header.trim().match(/^(?:W\/)?"?(\d+)"?$/)
    if (!match) throw invalidInput('headers.if-match', 'must be the version you read, e.g. "3"')
    return Number(match[1])
  }
  if (bodyVersion !== undefined) return bodyVersion
  throw invalidInput('body.version', 'is required: send the version you read (or an If-Match header)')
}

export const etagOf = (version: number) => `"${version}"`
