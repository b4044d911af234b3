import type { HttpApp } from '@ccm/http'
import {
  etagOf,
  expectedVersion,
  pageOf,
  paginationQuery,
  problemSchema,
  requiredVersion,
  versionInput,
  writeContext,
} from '@ccm/http'
import { z } from 'zod'
import { idParam, timelineEntrySchema, timelineQuery } from '../schemas/common.ts'
import {
  affiliationInput,
  affiliationParams,
  affiliationPatch,
  listPeopleQuery,
  personInput,
  personPatch,
  personSchema,
} from '../schemas/people.ts'
import { duplicateReasons } from '../repositories/person-records.ts'

const tags = ['people']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 410: problemSchema }
const staleNote = 'Send the version you read (body `version` or `If-Match`); a stale one gets 409 and changes nothing.'

const reasonNotes = [
  '`same_email`: an address on two records (detail: the address)',
  '`same_name`: the same full name once accents, case and punctuation are folded (detail: the folded name)',
  '`same_phone`: the same number in E.164, or the same digits for a number written without its country code (detail: ' +
    'the number)',
  '`similar_name_same_state`: names alike (trigram similarity ≥ 0.6) of people at organisations of one state, now or ' +
    'before (detail: its ISO3 code)',
  '`similar_name_same_organization`: the same, at one organisation of no state (detail: its name)',
  '`similar_name_same_interaction`: the same, taking part in one interaction (detail: its id)',
]

const duplicateGroupSchema = z
  .object({
    reason: z.enum(duplicateReasons),
    detail: z.string().describe('what the people share; see the reasons'),
    people: z.array(
      z.object({
        id: z.string().uuid(),
        givenName: z.string(),
        familyName: z.string(),
        emails: z.array(z.string()),
        phones: z.array(z.string()),
      }),
    ),
  })
  .meta({
    id: 'DuplicateGroup',
    example: {
      reason: 'same_phone',
      detail: '+41229171234',
      people: [
        {
          id: '6c0e3c4e-8a55-4a7b-9d3e-1f2a3b4c5d6e',
          givenName: 'Kevin',
          familyName: 'Otieno',
          emails: ['k.otieno@mfa.go.ke'],
          phones: ['+41 22 917 12 34'],
        },
      ],
    },
  })

const notDuplicateInput = z
  .object({ personId: z.string().uuid('must be a UUID') })
  .strict()
  .meta({ id: 'NotDuplicateRequest', example: { personId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' } })

const notDuplicateSchema = z
  .object({
    personIds: z.array(z.string().uuid()).length(2).describe('the smaller id first'),
    judgedBy: z.string(),
    judgedAt: z.string(),
  })
  .meta({
    id: 'NotDuplicate',
    example: {
      personIds: ['6c0e3c4e-8a55-4a7b-9d3e-1f2a3b4c5d6e', '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'],
      judgedBy: 'marie.dupont',
      judgedAt: '2026-03-02T10:30:00.000Z',
    },
  })

const pairParams = z.object({ id: z.string().uuid('must be a UUID'), otherId: z.string().uuid('must be a UUID') })

const mergeInput = z
  .object({ duplicateIds: z.array(z.string().uuid('must be a UUID')).min(1).max(20), version: versionInput.optional() })
  .strict()
  .meta({ id: 'MergeRequest', example: { duplicateIds: ['9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'], version: 2 } })

const erasureSchema = z
  .object({ id: z.string().uuid(), erasedIds: z.array(z.string().uuid()), auditRowsScrubbed: z.number().int() })
  .meta({
    id: 'Erasure',
    example: {
      id: '6c0e3c4e-8a55-4a7b-9d3e-1f2a3b4c5d6e',
      erasedIds: ['6c0e3c4e-8a55-4a7b-9d3e-1f2a3b4c5d6e'],
      auditRowsScrubbed: 4,
    },
  })

export default async function peopleRoutes(app: HttpApp) {
  const { people, peopleService, personRecordsService, timelines } = app.contacts

  app.get(
    '/v1/people',
    {
      schema: {
        operationId: 'listPeople',
        tags,
        summary: 'People, filtered and sorted by family name',
        querystring: listPeopleQuery,
        response: { 200: pageOf(personSchema), ...problems },
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query
      return { ...(await people.list(filter, { limit, offset })), limit, offset }
    },
  )

  app.post(
    '/v1/people',
    {
      schema: {
        operationId: 'createPerson',
        tags,
        summary: 'Add a person, with their roles',
        body: personInput,
        response: { 201: personSchema, ...problems, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const {
        honorific = null,
        jobTitle = null,
        preferredLanguage = null,
        notes = null,
        consent = null,
        affiliations,
        ...rest
      } = request.body
      const person = await peopleService.create(
        {
          ...rest,
          honorific,
          jobTitle,
          preferredLanguage,
          notes,
          consent,
          affiliations: affiliations.map((a) => ({ role: null, startDate: null, endDate: null, ...a })),
        },
        writeContext(request),
      )
      return reply.status(201).header('etag', etagOf(person.version)).send(person)
    },
  )

  app.get(
    '/v1/people/duplicates',
    {
      schema: {
        operationId: 'listPossibleDuplicates',
        tags,
        summary: 'Records that may be the same person',
        description:
          `Live records that share something, one group per shared thing, in a stable order; pairs judged not ` +
          `duplicates are left out. Reasons:\n\n- ${reasonNotes.join('\n- ')}\n\nA key shared by more than 50 people ` +
          `is compared among its first 50. Keys are worked out after each write commits; people still waiting are ` +
          `settled before the listing is read, for up to a second, and counted in \`unsettled\`. 503 if the listing ` +
          `takes over 2 s.`,
        querystring: paginationQuery.extend({
          limit: z.coerce.number().int().min(1).max(100).default(50),
          personId: z.string().uuid().optional().describe("Only the groups this person is in (a person's page)."),
        }),
        response: {
          200: pageOf(duplicateGroupSchema).extend({
            unsettled: z
              .number()
              .int()
              .describe(
                'People written lately whose keys are still being worked out (for a while after a large import): ' +
                  'they join the listing once settled. 0 when the listing is complete.',
              ),
          }),
          ...problems,
          503: problemSchema,
        },
      },
    },
    async (request) => {
      const { limit, offset } = request.query
      return { ...(await personRecordsService.duplicates(request.query)), limit, offset }
    },
  )

  app.post(
    '/v1/people/:id/not-duplicates',
    {
      schema: {
        operationId: 'markNotDuplicates',
        tags,
        summary: 'Judge two records to be different people',
        description:
          'The pair is not flagged as duplicates again (other people sharing the same thing still are). Recorded ' +
          'with who and when, in the audit log of both. 201 when new, 200 when it was already judged so.',
        params: idParam,
        body: notDuplicateInput,
        response: { 200: notDuplicateSchema, 201: notDuplicateSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { created, ...judgement } = await personRecordsService.markDistinct(
        request.params.id,
        request.body.personId,
        writeContext(request),
      )
      return reply.status(created ? 201 : 200).send(judgement)
    },
  )

  app.delete(
    '/v1/people/:id/not-duplicates/:otherId',
    {
      schema: {
        operationId: 'unmarkNotDuplicates',
        tags,
        summary: 'Undo a "not a duplicate" judgement',
        description: 'The pair may be flagged again. Audited under both people.',
        params: pairParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await personRecordsService.unmarkDistinct(request.params.id, request.params.otherId, writeContext(request))
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/v1/people/:id',
    {
      schema: {
        operationId: 'getPerson',
        tags,
        summary: 'One person, with current and past roles',
        params: idParam,
        response: { 200: personSchema, ...problems },
      },
    },
    async (request, reply) => {
      const person = await peopleService.require(request.params.id)
      return reply.header('etag', etagOf(person.version)).send(person)
    },
  )

  app.patch(
    '/v1/people/:id',
    {
      schema: {
        operationId: 'updatePerson',
        tags,
        summary: 'Change a person',
        description: staleNote,
        params: idParam,
        body: personPatch,
        response: { 200: personSchema, ...problems, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const { version: bodyVersion, ...patch } = request.body
      const person = await peopleService.update(
        request.params.id,
        patch,
        requiredVersion(request, bodyVersion),
        writeContext(request),
      )
      return reply.header('etag', etagOf(person.version)).send(person)
    },
  )

  app.post(
    '/v1/people/:id/affiliations',
    {
      schema: {
        operationId: 'addAffiliation',
        tags,
        summary: 'Add a role at an organisation',
        params: idParam,
        body: affiliationInput,
        response: { 201: personSchema, ...problems },
      },
    },
    async (request, reply) => {
      const person = await peopleService.addAffiliation(
        request.params.id,
        { role: null, startDate: null, endDate: null, ...request.body },
        writeContext(request),
      )
      return reply.status(201).send(person)
    },
  )

  app.patch(
    '/v1/people/:id/affiliations/:affiliationId',
    {
      schema: {
        operationId: 'updateAffiliation',
        tags,
        summary: 'Change or end a role',
        description:
          `Ending a role (endDate) keeps it in the person's history. ${staleNote} ` + "(the affiliation's version)",
        params: affiliationParams,
        body: affiliationPatch,
        response: { 200: personSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) => {
      const { version: bodyVersion, ...patch } = request.body
      return peopleService.updateAffiliation(
        request.params.id,
        request.params.affiliationId,
        patch,
        requiredVersion(request, bodyVersion),
        writeContext(request),
      )
    },
  )

  app.get(
    '/v1/people/:id/timeline',
    {
      schema: {
        operationId: 'getPersonTimeline',
        tags,
        summary: "A person's interactions and role changes, newest first",
        params: idParam,
        querystring: timelineQuery,
        response: { 200: pageOf(timelineEntrySchema), ...problems },
      },
    },
    async (request) => {
      await peopleService.require(request.params.id)
      const { limit, offset } = request.query
      return { ...(await timelines.ofPerson(request.params.id, limit, offset)), limit, offset }
    },
  )

  app.post(
    '/v1/people/:id/merge',
    {
      schema: {
        operationId: 'mergePeople',
        tags,
        summary: 'Merge duplicate records into this one',
        description:
          'Every email, role and interaction of the duplicates moves to this person; the duplicates then answer 404 ' +
          "naming this one. Emits contacts.person.merged. Optional `version` (or If-Match) is this person's.",
        params: idParam,
        body: mergeInput,
        response: { 200: personSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) => {
      const expected = expectedVersion(request, request.body.version)
      return personRecordsService.merge(request.params.id, request.body.duplicateIds, expected, writeContext(request))
    },
  )

  app.post(
    '/v1/people/:id/erase',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'erasePerson',
        tags,
        summary: 'Erase a person at their request (right to erasure)',
        description:
          'Admins only. Deletes the record, its emails and roles (and records merged into it); interactions stay ' +
          'without the person, their name and addresses replaced by [erased] in the text (the family name alone too, ' +
          'where they took part); audit rows keep what changed but not the values. Emits contacts.person.erased. ' +
          'Cannot be undone.',
        params: idParam,
        response: { 200: erasureSchema, ...problems },
      },
    },
    async (request) => personRecordsService.erase(request.params.id, writeContext(request)),
  )
}
