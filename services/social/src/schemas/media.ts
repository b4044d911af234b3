import { z } from 'zod'

export const mediaSchema = z
  .object({
    id: z.string().uuid(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    altText: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .meta({
    id: 'Media',
    example: {
      id: '5d1f7e9a-2b8c-4a0e-9f3d-6c7b8a9d0e1f',
      contentType: 'image/png',
      sizeBytes: 48213,
      altText: 'Delegates at the Meeting of States Parties',
      createdBy: 'marie.dupont',
      createdAt: '2026-01-10T09:00:00.000Z',
    },
  })

export const mediaQuery = z.object({
  altText: z.string().trim().min(1).max(1000).optional().describe('a description of the image for screen readers'),
})
