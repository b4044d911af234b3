/** An RFC 9457 problem as the services and the console server send it (`invalidParams` names `body.<field>`). */
export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  code?: string
  invalidParams?: { name: string; reason: string }[]
  [key: string]: unknown
}

/** A failed API call: its HTTP status and problem body; `retryAfter` (seconds) when the server sent one. */
export class ProblemError extends Error {
  readonly status: number
  readonly problem: Problem
  readonly retryAfter: number | undefined

  constructor(problem: Problem, retryAfter?: number) {
    super(problem.detail ?? problem.title)
    this.name = 'ProblemError'
    this.status = problem.status
    this.problem = problem
    this.retryAfter = retryAfter
  }

  /** True when the problem's type ends with `suffix` (types are URIs; the console server's end in a slug). */
  is(suffix: string): boolean {
    return this.problem.type.endsWith(suffix)
  }
}

/** Reads a failed response into a ProblemError, whatever its body (a proxy's HTML error page included). */
export async function problemFrom(response: Response): Promise<ProblemError> {
  let body: Partial<Problem> = {}
  try {
    body = (await response.clone().json()) as Partial<Problem>
  } catch {}
  const retryAfter = Number(response.headers.get('retry-after')) || undefined
  return new ProblemError(
    {
      ...body,
      type: body.type ?? 'about:blank',
      title: body.title ?? (response.statusText || `HTTP ${response.status}`),
      status: response.status,
    },
    retryAfter,
  )
}
