import { z } from 'zod'
import { iso3, isoDate, versionInput } from '@ccm/http'
import { applicationStatuses, sponsorshipDecisions } from '../repositories/sponsorship.ts'
import { personId, personName } from './common.ts'

/** Money in minor units (centimes) of the budget's currency: integers, never floats. */
const minor = z.number().int().min(0).max(1_000_000_000_00)
const override = z
  .object({ reason: z.string().trim().min(1).max(2000) })
  .strict()
  .describe('admins only: let the totals pass the budget, and why')

export const budgetInput = z
  .object({
    amountMinor: minor.describe('the budget in minor units (centimes)'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CHF'),
    donors: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
    override: override.optional(),
    version: versionInput.optional(),
  })
  .strict()
  .meta({
    id: 'SponsorshipBudget',
    example: { amountMinor: 25_000_000, currency: 'CHF', donors: ['Australia', 'Switzerland'] },
  })

export const applicationInput = z
  .object({
    personId,
    name: personName,
    iso3,
    function: z.string().trim().min(1).max(300).describe('the function they hold'),
    motivation: z.string().trim().min(1).max(5000).describe('why their participation matters'),
  })
  .strict()
  .meta({
    id: 'NewSponsorshipApplication',
    example: {
      personId: '6c0e3c4e-5b1a-4c1e-9f0a-2b7d8e9f0a1b',
      name: 'Wanjiru Odhiambo',
      iso3: 'KEN',
      function: 'Director, Disarmament Division',
      motivation: 'Leads the national ratification file',
    },
  })

export const decisionInput = z
  .object({
    decision: z.enum(sponsorshipDecisions),
    reason: z.string().trim().min(1).max(2000),
    override: override.optional(),
    version: versionInput.optional(),
  })
  .strict()
  .meta({ id: 'SponsorshipDecision', example: { decision: 'approved', reason: 'Regional balance', version: 1 } })

export const costsInput = z
  .object({
    travelBooked: z.boolean().optional(),
    travelCostMinor: minor.optional(),
    accommodationCostMinor: minor.optional(),
    dsaDays: z.number().int().min(0).max(60).optional(),
    dsaRateMinor: minor.optional(),
    visaLetterIssued: z.boolean().optional(),
    attendanceConfirmed: z.boolean().optional(),
    reportReceivedOn: isoDate.nullable().optional(),
    override: override.optional(),
    version: versionInput.optional(),
  })
  .strict()
  .meta({
    id: 'SponsorshipCosts',
    example: { travelBooked: true, travelCostMinor: 145_000, dsaDays: 5, dsaRateMinor: 41_000, version: 2 },
  })

export const applicationSchema = z
  .object({
    id: z.string().uuid(),
    meetingId: z.string().uuid(),
    personId: z.string().uuid().nullable(),
    personName: z.string().nullable(),
    iso3: z.string(),
    function: z.string(),
    motivation: z.string().nullable(),
    status: z.enum(applicationStatuses),
    decisionReason: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    travelBooked: z.boolean(),
    travelCostMinor: z.number().int(),
    accommodationCostMinor: z.number().int(),
    dsaDays: z.number().int(),
    dsaRateMinor: z.number().int(),
    visaLetterIssued: z.boolean(),
    attendanceConfirmed: z.boolean(),
    reportReceivedOn: z.string().nullable(),
    budgetOverrideReason: z.string().nullable(),
    budgetOverrideBy: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'SponsorshipApplication' })

export const budgetSchema = z
  .object({
    meetingId: z.string().uuid(),
    amountMinor: z.number().int(),
    currency: z.string(),
    donors: z.array(z.string()),
    version: z.number().int(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'SponsorshipBudgetRecord' })

const money = { committedMinor: z.number().int(), spentMinor: z.number().int() }
export const summarySchema = z
  .object({
    meetingId: z.string().uuid(),
    budget: z.object({ amountMinor: z.number().int(), currency: z.string(), donors: z.array(z.string()) }).nullable(),
    ...money,
    remainingMinor: z.number().int().nullable(),
    applications: z.object({
      pending: z.number().int(),
      approved: z.number().int(),
      waitlisted: z.number().int(),
      declined: z.number().int(),
    }),
    approved: z.object({
      travelBooked: z.number().int(),
      visaLettersIssued: z.number().int(),
      attendanceConfirmed: z.number().int(),
      reportsReceived: z.number().int(),
      overrides: z.number().int(),
    }),
    byRegion: z.array(
      z.object({
        region: z.string().nullable(),
        applications: z.number().int(),
        approved: z.number().int(),
        ...money,
      }),
    ),
  })
  .meta({ id: 'SponsorshipSummary' })
