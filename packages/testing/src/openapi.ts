/**
 * What is wrong with an OpenAPI document's operationIds, one line each: an operation without one, one
 * not in camelCase, or one shared by two operations. The console generates its client from them, so
 * every operation needs a name of its own; a route added without one shows up here.
 */
export function operationIdProblems(document: {
  paths?: Record<string, Record<string, { operationId?: string }>>
}): string[] {
  const problems: string[] = []
  const seen = new Map<string, string>()
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, { operationId }] of Object.entries(operations)) {
      const operation = `${method.toUpperCase()} ${path}`
      if (!operationId) {
        problems.push(`${operation} has no operationId`)
        continue
      }
      if (!/^[a-z][a-zA-Z0-9]*$/.test(operationId)) problems.push(`${operation}: ${operationId} is not camelCase`)
      const first = seen.get(operationId)
      if (first) problems.push(`${operation}: ${operationId} is already ${first}'s`)
      else seen.set(operationId, operation)
    }
  }
  return problems
}
