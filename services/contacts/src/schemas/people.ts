import { z } from 'zod'
import { versionInput, iso3, isoDate, paginationQuery } from '@ccm/http'
import { booleanQuery, languages, tag, tags } from './common.ts'

export const consentBases = ['consent', 'legitimate_interest', 'public_task', 'contract'] as const

const affiliationFields = {
  organizationId: z.string().uuid('must be a UUID'),
  role: z.string().trim().min(1).max(200).nullable(),
  startDate: isoDate.nullable(),
  endDate: isoDate.nullable().describe('set it when the person leaves: the role stays in their history'),
  primary: z.boolean(),
}

const datesInOrder = (a: { startDate?: string | null; endDate?: string | null }) =>
  !a.startDate || !a.endDate || a.endDate >= a.startDate
const datesMessage = { message: 'must not be before startDate', path: ['endDate'] }

export const affiliationInput = z
  .object({
    ...affiliationFields,
    role: affiliationFields.role.optional(),
    startDate: affiliationFields.startDate.optional(),
    endDate: affiliationFields.endDate.optional(),
    primary: z.boolean().default(false),
  })
  .strict()
  .refine(datesInOrder, datesMessage)
  .meta({
    id: 'NewAffiliation',
    example: {
      organizationId: '0b8f6f0e-2d7e-4a53-9a51-6c1c2b1e4f10',
      role: 'First Secretary (disarmament)',
      startDate: '2023-09-01',
      primary: true,
    },
  })

export const affiliationPatch = z
  .object({ ...affiliationFields, version: versionInput })
  .partial()
  .strict()
  .refine(datesInOrder, datesMessage)
  .meta({ id: 'AffiliationPatch', example: { endDate: '2026-08-31', version: 1 } })

export const affiliationSchema = z
  .object({
    id: z.string().uuid(),
    ...affiliationFields,
    organizationName: z.string(),
    current: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Affiliation' })

const email = z.string().trim().email('must be an email address').max(320)
const phone = z
  .string()
  .trim()
  .regex(/^\+?[\d\s().-]{4,30}$/, 'must be a phone number, e.g. +41 22 917 12 34')

const personFields = {
  honorific: z.string().trim().min(1).max(40).nullable(),
  givenName: z.string().trim().min(1).max(200),
  familyName: z.string().trim().min(1).max(200),
  jobTitle: z.string().trim().min(1).max(200).nullable(),
  emails: z
    .array(email)
    .max(10)
    .refine((list) => new Set(list.map((e) => e.toLowerCase())).size === list.length, 'must not repeat an address')
    .describe('the first is the primary address'),
  phones: z.array(phone).max(10),
  preferredLanguage: z.enum(languages).nullable(),
  languages: z.array(z.string().regex(/^[a-z]{2,3}$/, 'must be an ISO 639 language code')).max(20),
  tags,
  notes: z.string().max(20_000).nullable(),
  consent: z
    .object({ basis: z.enum(consentBases), date: isoDate, source: z.string().trim().min(1).max(300) })
    .strict()
    .nullable(),
  doNotContact: z.boolean(),
}

const example = {
  honorific: 'H.E. Ms',
  givenName: 'Wanjiru',
  familyName: 'Müller-Odhiambo',
  jobTitle: 'Ambassador',
  emails: ['w.odhiambo@mfa.go.ke'],
  phones: ['+41 22 906 40 50'],
  preferredLanguage: 'en',
  languages: ['en', 'fr', 'sw'],
  tags: ['msp-14'],
  notes: null,
  consent: { basis: 'public_task', date: '2024-01-15', source: 'official list of delegations' },
  doNotContact: false,
}

export const personInput = z
  .object({
    honorific: personFields.honorific.optional(),
    givenName: personFields.givenName,
    familyName: personFields.familyName,
    jobTitle: personFields.jobTitle.optional(),
    emails: personFields.emails.default([]),
    phones: personFields.phones.default([]),
    preferredLanguage: personFields.preferredLanguage.optional(),
    languages: personFields.languages.default([]),
    tags: tags.default([]),
    notes: personFields.notes.optional(),
    consent: personFields.consent.optional(),
    doNotContact: z.boolean().default(false),
    affiliations: z.array(affiliationInput).max(20).default([]),
  })
  .strict()
  .meta({
    id: 'NewPerson',
    example: {
      ...example,
      affiliations: [{ organizationId: '0b8f6f0e-2d7e-4a53-9a51-6c1c2b1e4f10', role: 'Ambassador', primary: true }],
    },
  })

export const personPatch = z
  .object({ ...personFields, version: versionInput })
  .partial()
  .strict()
  .meta({ id: 'PersonPatch', example: { jobTitle: 'Deputy Permanent Representative', version: 3 } })

export const personSchema = z
  .object({
    id: z.string().uuid(),
    ...personFields,
    affiliations: z.array(affiliationSchema),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'Person',
    example: {
      id: '6c0e3c4e-8a55-4a7b-9d3e-1f2a3b4c5d6e',
      ...example,
      affiliations: [
        {
          id: '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
          organizationId: '0b8f6f0e-2d7e-4a53-9a51-6c1c2b1e4f10',
          organizationName: 'Permanent Mission of Kenya to the UN Office at Geneva',
          role: 'Ambassador',
          startDate: '2023-09-01',
          endDate: null,
          primary: true,
          current: true,
          version: 1,
        },
      ],
      version: 1,
      createdAt: '2026-01-10T09:00:00.000Z',
      updatedAt: '2026-01-10T09:00:00.000Z',
    },
  })

export const personFilter = z.object({
  q: z.string().trim().min(1).max(100).optional().describe('part of the name; accents and case are ignored'),
  tag: tag.optional(),
  organizationId: z.string().uuid('must be a UUID').optional().describe('people currently at this organisation'),
  country: iso3.optional().describe('people currently at an organisation of this state'),
  language: z.enum(languages).optional().describe('preferred language'),
  doNotContact: booleanQuery.optional(),
})

export const listPeopleQuery = paginationQuery.extend(personFilter.shape)
export const affiliationParams = z.object({
  id: z.string().uuid('must be a UUID'),
  affiliationId: z.string().uuid('must be a UUID'),
})
