import { z } from 'zod'
import { iso3, isoDate, versionInput } from '@ccm/http'
import { delegationCapacities, memberFunctions } from '../repositories/delegations.ts'
import { personId, personName } from './common.ts'

const credentialsReceivedOn = isoDate.optional().describe('the day the delegation’s credentials were received')

export const delegationInput = z
  .union([
    z.object({ iso3, credentialsReceivedOn }).strict(),
    z
      .object({
        organizationId: z.string().uuid('must be a contacts organisation id (a UUID)'),
        name: z.string().trim().min(1).max(300).describe('the organisation’s name as it is to appear in the list'),
        type: z.enum(['international_organization', 'ngo', 'other']),
        credentialsReceivedOn,
      })
      .strict(),
  ])
  .meta({
    id: 'NewDelegation',
    description: 'A state by ISO3 (its capacity comes from its treaty status on the first day), or an organisation.',
    example: { iso3: 'KEN', credentialsReceivedOn: '2025-09-15' },
  })

export const delegationSchema = z
  .object({
    id: z.string().uuid(),
    meetingId: z.string().uuid(),
    iso3: z.string().nullable(),
    organizationId: z.string().uuid().nullable(),
    name: z.string(),
    capacity: z.enum(delegationCapacities),
    regionalGroup: z.string().nullable(),
    credentialsReceivedOn: z.string().nullable(),
    members: z.number().int(),
    version: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'Delegation' })

export const credentialsInput = z
  .object({ credentialsReceivedOn: isoDate.nullable(), version: versionInput.optional() })
  .strict()
  .meta({ id: 'Credentials', example: { credentialsReceivedOn: '2025-09-15', version: 1 } })

export const membersInput = z
  .object({
    members: z
      .array(z.object({ personId, name: personName, function: z.enum(memberFunctions) }).strict())
      .min(1)
      .max(500),
  })
  .strict()
  .meta({
    id: 'NewMembers',
    example: {
      members: [
        { personId: '6c0e3c4e-5b1a-4c1e-9f0a-2b7d8e9f0a1b', name: 'Wanjiru Odhiambo', function: 'head_of_delegation' },
      ],
    },
  })

export const participantSchema = z
  .object({
    id: z.string().uuid(),
    delegationId: z.string().uuid(),
    personId: z.string().uuid(),
    name: z.string(),
    function: z.enum(memberFunctions),
    attended: z.array(z.string()),
  })
  .meta({ id: 'Participant' })

export const delegationDetail = delegationSchema
  .extend({ participants: z.array(participantSchema) })
  .meta({ id: 'DelegationWithParticipants' })

export const attendanceInput = z
  .object({ day: isoDate, personIds: z.array(personId).min(1).max(500) })
  .strict()
  .meta({ id: 'Attendance', example: { day: '2025-09-16', personIds: ['6c0e3c4e-5b1a-4c1e-9f0a-2b7d8e9f0a1b'] } })
