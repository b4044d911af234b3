/**
 * What forms share: API problems shown at the field they name, and the offer to reload on a 409.
 * Forms keep their values when a request fails: nothing here resets them.
 */
import { notifications } from '@mantine/notifications'
import i18n from './i18n'
import { ProblemError } from './api/problem'

/** The part of a Mantine form `applyProblem` needs (any `useForm()` result has it). */
export interface ErrorTarget {
  setFieldError: (path: string, error: string) => void
  getInputProps: (path: string) => unknown
  values: unknown
}

/** `body.followUp.dueOn` → `followUp.dueOn`; `query.q` → `q`. */
function fieldOf(name: string): string {
  return name.replace(/^(body|query|params|headers)\./, '')
}

function has(values: unknown, path: string): boolean {
  let at: unknown = values
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object' || !(part in at)) return false
    at = (at as Record<string, unknown>)[part]
  }
  return true
}

/**
 * Puts a problem's `invalidParams` onto the form's fields (by their path; `fieldMap` renames where the API's
 * names differ from the form's). What names no field, and any other error, is shown as a notification.
 * Returns true when at least one field took an error.
 */
export function applyProblem(form: ErrorTarget, error: unknown, fieldMap: Record<string, string> = {}): boolean {
  if (!(error instanceof ProblemError)) {
    notifications.show({ color: 'red', title: i18n.t('errors.unexpected'), message: String(error) })
    return false
  }
  if (error.status === 409) {
    offerReload(error)
    return false
  }
  let placed = false
  const rest: string[] = []
  for (const param of error.problem.invalidParams ?? []) {
    const field = fieldMap[fieldOf(param.name)] ?? fieldOf(param.name)
    // Arrays are reported by item (`states.0`); the form shows the error on the list.
    const candidates = [field, field.replace(/\.\d+(\..*)?$/, '')]
    const target = candidates.find((c) => has(form.values, c))
    if (target) {
      form.setFieldError(target, param.reason)
      placed = true
    } else rest.push(`${param.name}: ${param.reason}`)
  }
  if (!placed || rest.length)
    notifications.show({
      color: 'red',
      title: error.problem.title,
      message: [error.problem.detail, ...rest].filter(Boolean).join('\n') || undefined,
    })
  return placed
}

/** A 409 (someone changed the record first): say so, and offer to reload it. */
export function offerReload(error: ProblemError, reload: () => void = () => window.location.reload()): void {
  notifications.show({
    id: 'conflict',
    color: 'orange',
    autoClose: false,
    title: i18n.t('errors.conflictTitle'),
    message: i18n.t('errors.conflictMessage', { detail: error.problem.detail ?? '' }),
    onClick: reload,
  })
}
