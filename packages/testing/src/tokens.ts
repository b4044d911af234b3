import { signToken, type Role } from '@ccm/http'
import type { BaseConfig } from '@ccm/config'

/** An Authorization header value for a person with that role. */
export async function bearer(config: BaseConfig, role: Role, sub = `${role}@test`): Promise<string> {
  return `Bearer ${await signToken(config, { sub, role })}`
}
