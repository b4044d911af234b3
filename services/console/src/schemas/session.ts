import { z } from 'zod'
import { roleSchema } from './users.ts'

export const sessionSchema = z
  .object({
    user: z.object({
      id: z.string().uuid(),
      username: z.string(),
      displayName: z.string(),
      role: roleSchema,
      mustChangePassword: z.boolean(),
    }),
    csrfToken: z.string(),
  })
  .meta({ id: 'ConsoleSession' })

export const signInInput = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1000),
})

export const passwordChangeInput = z.object({
  currentPassword: z.string().min(1).max(1000),
  newPassword: z.string().max(1000),
})
