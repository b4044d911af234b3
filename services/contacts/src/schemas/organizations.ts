import { z } from 'zod'
import { versionInput, httpUrl, iso3, paginationQuery } from '@ccm/http'
import { eventCatalogue } from '@ccm/events'
import { booleanQuery, tag, tags } from './common.ts'

/** One list, the catalogue's, so an event never carries a type the API refuses. */
export const organizationTypes = eventCatalogue['contacts.organization.created'].shape.type.options

const fields = {
  type: z.enum(organizationTypes),
  name: z.string().trim().min(1).max(300),
  shortName: z.string().trim().min(1).max(60).nullable(),
  country: iso3.nullable().describe('ISO3 code of the state; required for permanent missions and ministries'),
  website: httpUrl.max(500).nullable(),
  tags,
}

const example = {
  type: 'permanent_mission',
  name: 'Permanent Mission of Kenya to the UN Office at Geneva',
  shortName: 'PM Kenya',
  country: 'KEN',
  website: 'https://www.kenyamission-un.ch',
  tags: ['africa-outreach'],
}

export const organizationInput = z
  .object({
    ...fields,
    shortName: fields.shortName.optional(),
    country: fields.country.optional(),
    website: fields.website.optional(),
    tags: tags.default([]),
  })
  .strict()
  .meta({ id: 'NewOrganization', example })

export const organizationPatch = z
  .object({ ...fields, version: versionInput })
  .partial()
  .strict()
  .meta({ id: 'OrganizationPatch', example: { website: 'https://kenya-geneva.example', version: 1 } })

export const organizationSchema = z
  .object({
    id: z.string().uuid(),
    ...fields,
    archived: z.boolean(),
    archivedAt: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'Organization',
    example: {
      id: '0b8f6f0e-2d7e-4a53-9a51-6c1c2b1e4f10',
      ...example,
      archived: false,
      archivedAt: null,
      version: 1,
      createdAt: '2026-01-10T09:00:00.000Z',
      updatedAt: '2026-01-10T09:00:00.000Z',
    },
  })

export const organizationFilter = z.object({
  type: z.enum(organizationTypes).optional(),
  country: iso3.optional(),
  tag: tag.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('part of the name or short name; accents and case are ignored'),
  archived: booleanQuery.default(false).describe('archived organisations instead of active ones'),
})

export const listOrganizationsQuery = paginationQuery.extend(organizationFilter.shape)
export const archiveInput = z
  .object({ version: versionInput.optional() })
  .strict()
  .meta({ id: 'ArchiveRequest', example: { version: 2 } })
