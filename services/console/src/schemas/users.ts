import { z } from 'zod'
import { roles, versionInput } from '@ccm/http'

export const roleSchema = z.enum(roles)

/** Letters, digits and `.`, `_`, `-`; compared without regard to case (stored in lower case). */
export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$/, 'must be 2 to 63 letters, digits, dots, dashes or underscores')

const displayName = z.string().trim().min(1).max(200)

export const userSchema = z
  .object({
    id: z.string().uuid(),
    username: z.string(),
    displayName: z.string(),
    role: roleSchema,
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'ConsoleUser' })

export const userInput = z.object({ username: usernameSchema, displayName, role: roleSchema })

export const userPatch = z.object({
  displayName: displayName.optional(),
  role: roleSchema.optional(),
  disabled: z.boolean().optional(),
  version: versionInput,
})

export const userIdParam = z.object({ id: z.string().uuid() })

export const oneTimePasswordSchema = z.object({ oneTimePassword: z.string() })
