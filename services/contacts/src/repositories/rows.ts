/** A row as node-postgres returns it (untyped: `any`); repositories map it to camelCase at this boundary. */
export type Row = Record<string, any>

export const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null)

/** Escapes LIKE's wildcards so user text matches literally. */
export const likeEscape = (text: string) => text.replace(/[\\%_]/g, '\\$&')

/** Builds a WHERE clause from optional conditions, numbering parameters as they are added. */
export function whereBuilder() {
  const clauses: string[] = []
  const values: unknown[] = []
  return {
    values,
    param: (value: unknown) => `$${values.push(value)}`,
    add(clause: string) {
      clauses.push(clause)
    },
    get sql() {
      return clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''
    },
  }
}
