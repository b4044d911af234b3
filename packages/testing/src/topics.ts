import { randomBytes } from 'node:crypto'

/** Topics of their own for one test file, so parallel files never see each other's events. */
export function uniqueTopicPrefix(): string {
  return `test-${randomBytes(4).toString('hex')}.`
}
