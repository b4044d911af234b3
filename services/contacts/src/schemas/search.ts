import { z } from 'zod'
import { treatyStatuses } from '@ccm/events'
import { searchTypes } from '../repositories/search.ts'
import { regionalGroups } from './states.ts'
import { tag } from './common.ts'

export const searchQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe(
      'what someone typed: accents, case and punctuation are ignored, a typo is forgiven, a word may be unfinished',
    ),
  type: z.enum(searchTypes).optional(),
  status: z
    .enum(treatyStatuses)
    .optional()
    .describe("a state's treaty status; narrows organisations and people to those of such states"),
  region: z.enum(regionalGroups).optional().describe('a UN regional group; narrows as status does'),
  tag: tag.optional().describe('people and organisations with this tag (states have none)'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(300).optional().describe('nextCursor of the previous page'),
})

export const searchHitSchema = z.object({
  type: z.enum(searchTypes),
  id: z.string().describe('a UUID, or an ISO3 code for a state'),
  title: z.string(),
  subtitle: z.string().nullable(),
  score: z.number(),
})

export const searchResultSchema = z
  .object({ items: z.array(searchHitSchema), nextCursor: z.string().nullable() })
  .meta({
    id: 'SearchResult',
    example: {
      items: [
        { type: 'state', id: 'KEN', title: 'Kenya', subtitle: 'signatory', score: 1 },
        {
          type: 'organization',
          id: '0b8f6f0e-2d7e-4a53-9a51-6c1c2b1e4f10',
          title: 'Permanent Mission of Kenya to the UN Office at Geneva',
          subtitle: 'PM Kenya',
          score: 0.9083,
        },
      ],
      nextCursor: 'eyJzY29yZSI6IjAuOTA4MyIsInR5cGUiOiJvcmdhbml6YXRpb24iLCJpZCI6IjBiOGY2ZjBlIn0',
    },
  })
