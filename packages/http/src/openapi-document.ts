import { STATUS_CODES } from 'node:http'

/**
 * What fastify-type-provider-zod's document needs before tools (redocly, client generators) take it:
 * components without `$id` (a `$ref` inside one would resolve against it and miss), records over an
 * enum spelled as the properties they require, errors under the type they are sent as, and only the
 * components an operation reaches (the transform emits every registered schema, in an input and an
 * output variant).
 */
type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null

/** `z.record(z.enum([...]), v)` comes out as `propertyNames` + `required` with no `properties`. */
function spellOutRecords(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(spellOutRecords)
  if (!isObject(node)) return
  const keys = isObject(node.propertyNames) ? node.propertyNames.enum : undefined
  if (Array.isArray(keys) && Array.isArray(node.required) && !node.properties) {
    node.properties = Object.fromEntries(keys.map((key) => [key, node.additionalProperties ?? {}]))
    node.additionalProperties = false
    delete node.propertyNames
  }
  Object.values(node).forEach(spellOutRecords)
}

const problemRef = '#/components/schemas/Problem'

/**
 * Errors go out as problem+json (problem.ts) whatever the route produces; the transform labels them with the route's
 * type.
 */
function problemResponses(paths: Record<string, Record<string, { responses?: Record<string, Json> }>>): void {
  for (const operation of Object.values(paths).flatMap((operations) => Object.values(operations))) {
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const media = Object.values((response.content ?? {}) as Record<string, { schema?: Json }>)
      if (!media.some((m) => m.schema?.$ref === problemRef)) continue
      response.content = { 'application/problem+json': { schema: { $ref: problemRef } } }
      if (response.description === 'Default Response') response.description = STATUS_CODES[status] ?? status
    }
  }
}

function refsIn(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => refsIn(item, into))
  else if (isObject(node)) {
    if (typeof node.$ref === 'string') into.add(node.$ref.replace('#/components/schemas/', ''))
    Object.values(node).forEach((value) => refsIn(value, into))
  }
  return into
}

export function tidyOpenApiDocument<T extends Json>(document: T): T {
  const components = (document.components ?? {}) as { schemas?: Record<string, Json> }
  const schemas = components.schemas ?? {}
  for (const schema of Object.values(schemas)) {
    delete schema.$id
    delete schema.$schema
  }
  spellOutRecords(document)
  // The document is untyped JSON; its paths have the OpenAPI shape problemResponses walks.
  problemResponses((document.paths ?? {}) as never)
  const reached = refsIn(document.paths, new Set())
  for (const name of reached) refsIn(schemas[name], reached)
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name]
  return document
}
