import { z } from 'zod'
import { iso3, isoDate } from '@ccm/http'

const id = z.string().uuid()

export const targetStages = [
  'not_engaged',
  'contacted',
  'engaged',
  'considering',
  'committed',
  'joined',
  'in_force',
  'paused',
  'declined',
] as const
export const campaignStatuses = ['planned', 'active', 'completed', 'cancelled'] as const

export const campaignsEvents = {
  'campaigns.campaign.created': z.object({ id, name: z.string(), status: z.enum(campaignStatuses) }),
  'campaigns.campaign.updated': z.object({ id, changedFields: z.array(z.string()) }),
  'campaigns.campaign.completed': z.object({ id, name: z.string() }),
  'campaigns.target.added': z.object({ campaignId: id, iso3, stage: z.enum(targetStages) }),
  'campaigns.target.stage_changed': z.object({
    campaignId: id,
    iso3,
    from: z.enum(targetStages),
    to: z.enum(targetStages),
    reason: z.string().nullable(),
    /** A person's id (token subject) for a manual move, or null when an event moved it. */
    by: z.string().nullable(),
    causedByEventId: id.nullable(),
    evidenceInteractionId: id.nullable(),
  }),
  'campaigns.task.created': z.object({
    id,
    campaignId: id,
    iso3: iso3.nullable(),
    assignee: z.string(),
    dueOn: isoDate.nullable(),
  }),
  'campaigns.task.completed': z.object({ id, campaignId: id }),
  /**
   * A state joined the Convention, or a campaign reached its goal: the social service drafts an announcement.
   * A state joining is announced once per campaign that targets it (each names its campaign), all with the
   * same causedByEventId.
   */
  'campaigns.milestone.reached': z.object({
    kind: z.enum(['state_joined', 'goal_reached']),
    state: z.object({ iso3, name: z.string() }).nullable(),
    /**
     * The number of States Parties once this state has joined (from the treaty event); for a goal, as campaigns last
     * heard it.
     */
    statesPartiesCount: z.number().int(),
    campaign: z.object({ id, name: z.string() }).nullable(),
    /**
     * The event that caused it (for a state joining, the contacts.treaty_status.changed event): replays
     * of one milestone share it. A goal reached by a person's move has no event behind it; the
     * milestone's own id stands in.
     */
    causedByEventId: id,
  }),
} as const
