import { z } from 'zod'
import { versionInput } from '@ccm/http'
import { channelStatuses, platforms } from '../repositories/channels.ts'

const secret = z.string().min(1).max(4096)

export const xOAuth1Credentials = z
  .object({ appKey: secret, appSecret: secret, accessToken: secret, accessSecret: secret })
  .strict()
export const xOAuth2Credentials = z
  .object({
    clientId: secret,
    clientSecret: secret.optional(),
    accessToken: secret,
    refreshToken: secret,
    expiresAt: z
      .string()
      .datetime({ offset: true })
      .optional()
      .describe('when the access token expires; it is refreshed before then'),
  })
  .strict()
export const facebookCredentials = z
  .object({ pageId: z.string().regex(/^\d{1,30}$/, 'must be the numeric Page id'), pageAccessToken: secret })
  .strict()

const common = {
  name: z.string().trim().min(1).max(100),
  default: z.boolean().optional().describe('announcements drafted from milestones go to the default channels'),
}

export const channelInput = z
  .discriminatedUnion('platform', [
    z
      .object({ platform: z.literal('x'), ...common, credentials: z.union([xOAuth1Credentials, xOAuth2Credentials]) })
      .strict(),
    z.object({ platform: z.literal('facebook'), ...common, credentials: facebookCredentials }).strict(),
  ])
  .meta({
    id: 'NewChannel',
    description:
      'Credentials are encrypted at rest and never returned. X: OAuth 1.0a user keys, or an OAuth 2.0 user token ' +
      'with its refresh token. Facebook: a Page id and Page access token.',
    example: {
      platform: 'x',
      name: 'ISU on X',
      default: true,
      credentials: { appKey: '…', appSecret: '…', accessToken: '…', accessSecret: '…' },
    },
  })

export const channelPatch = z
  .object({
    name: common.name.optional(),
    default: common.default,
    credentials: z
      .union([xOAuth1Credentials, xOAuth2Credentials, facebookCredentials])
      .optional()
      .describe('new credentials re-authorise a channel that needs it'),
    version: versionInput.optional(),
  })
  .strict()
  .meta({ id: 'ChannelPatch', example: { credentials: { pageId: '1234567890', pageAccessToken: '…' }, version: 2 } })

export const channelSchema = z
  .object({
    id: z.string().uuid(),
    platform: z.enum(platforms),
    name: z.string(),
    isDefault: z.boolean(),
    status: z
      .enum(channelStatuses)
      .describe('needs_reauth: the platform rejected the credentials; deliveries wait for new ones'),
    statusReason: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'Channel',
    example: {
      id: '0b7f7d0e-8a3c-4c52-9d6e-2f4f1f3b2a10',
      platform: 'x',
      name: 'ISU on X',
      isDefault: true,
      status: 'active',
      statusReason: null,
      version: 1,
      createdAt: '2026-01-10T09:00:00.000Z',
      updatedAt: '2026-01-10T09:00:00.000Z',
    },
  })

export const idParam = z.object({ id: z.string().uuid() })
