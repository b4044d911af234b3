import type { FastifyRequest } from 'fastify'
import { invalidInput } from './problem.ts'

// One version, as an entity tag (`"3"`, weak `W/"3"`) or bare (`3`); not a list, not `*`.
const oneVersion = /^(?:W\/)?"([1-9]\d*)"$|^([1-9]\d*)$/

/**
 * The version the caller read, for a write that must not undo someone else's: the body's `version`,
 * or an `If-Match` header holding one version. Neither is needed; when both are sent they must agree.
 * An `If-Match` that is not one version number, or that disagrees with `body.version`, is a 400 naming
 * `headers.if-match`: the request contradicts itself (409 is kept for a version that is stale).
 */
export function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined): number | undefined {
  const header = request.headers['if-match']
  if (header === undefined) return bodyVersion
  const match = oneVersion.exec(header.trim())
  const fromHeader = Number(match?.[1] ?? match?.[2])
  if (!match || !Number.isSafeInteger(fromHeader))
    throw invalidInput('headers.if-match', 'must be the version you read, e.g. "3"')
  if (bodyVersion !== undefined && bodyVersion !== fromHeader)
    throw invalidInput('headers.if-match', `is version ${fromHeader}, but body.version is ${bodyVersion}`)
  return fromHeader
}

/** The same, for a write that needs it: 400 naming `body.version` when neither it nor `If-Match` was sent. */
export function requiredVersion(request: FastifyRequest, bodyVersion: number | undefined): number {
  const version = expectedVersion(request, bodyVersion)
  if (version === undefined)
    throw invalidInput('body.version', 'is required: send the version you read (or an If-Match header)')
  return version
}

/** The `ETag` of a record at `version`, which `If-Match` sends back. */
export const etagOf = (version: number): string => `"${version}"`
