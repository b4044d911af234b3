import type { HttpApp } from '@ccm/http'
import { pageOf, paginationQuery, problemSchema, writeContext } from '@ccm/http'
import { z } from 'zod'
import { idParam, timelineEntrySchema, timelineQuery, version } from '../schemas/common.ts'
import { affiliationInput, affiliationParams, affiliationPatch, listPeopleQuery, personInput, personPatch, personSchema } from '../schemas/people.ts'
import { etagOf, expectedVersion } from '../versioning.ts'

const tags = ['people']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 410: problemSchema }
const staleNote = 'Send the version you read (body `version` or `If-Match`); a stale one gets 409 and changes nothing.'

const duplicateGroupSchema = z
  .object({
    reason: z.enum(['same_email', 'similar_name_same_organization']),
    detail: z.string().describe('the shared address, or the organisation'),
    people: z.array(z.object({ id: z.string().uuid(), givenName: z.string(), familyName: z.string(), emails: z.array(z.string()) })),
  })
  .meta({
    id: 'DuplicateGroup',
    example: { reason: 'same_email', detail: 'k.otieno@mfa.go.ke', people: [{ id: '6c0e3c4e-8a55-4a7b-9d3e-1f2a3b4c5d6e', givenName: 'Kevin', familyName: 'Otieno', emails: ['k.otieno@mfa.go.ke'] }] },
  })

const mergeInput = z
  .object({ duplicateIds: z.array(z.string().uuid('must be a UUID')).min(1).max(20), version: version.optional() })
  .strict()
  .meta({ id: 'MergeRequest', example: { duplicateIds: ['9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'], version: 2 } })

const erasureSchema = z
  .object({ id: z.string().uuid(), erasedIds: z.array(z.string().uuid()), auditRowsScrubbed: z.number().int() })
  .meta({ id: 'Erasure', example: { id: '6c0e3c4e-8a55-4a7b-9d3e-1f2a3b4c5d6e', erasedIds: ['6c0e3c4e-8a55-4a7b-9d3e-1f2a3b4c5d6e'], auditRowsScrubbed: 4 } })

export default async function peopleRoutes(app: HttpApp) {
  const { people, peopleService, personRecords, personRecordsService, timelines } = app.contacts

  app.get('/v1/people', {
    schema: { operationId: 'listPeople', tags, summary: 'People, filtered and sorted by family name', querystring: listPeopleQuery, response: { 200: pageOf(personSchema), ...problems } },
  }, async (request) => {
    const { limit, offset, ...filter } = request.query
    return { ...(await people.list(filter, { limit, offset })), limit, offset }
  })

  app.post('/v1/people', {
    schema: { operationId: 'createPerson', tags, summary: 'Add a person, with their roles', body: personInput, response: { 201: personSchema, ...problems, 409: problemSchema } },
  }, async (request, reply) => {
    const { honorific = null, jobTitle = null, preferredLanguage = null, notes = null, consent = null, affiliations, ...rest } = request.body
    const person = await peopleService.create({
      ...rest, honorific, jobTitle, preferredLanguage, notes, consent,
      affiliations: affiliations.map((a) => ({ role: null, startDate: null, endDate: null, ...a })),
    }, writeContext(request))
    return reply.status(201).header('etag', etagOf(person.version)).send(person)
  })

  app.get('/v1/people/duplicates', {
    schema: {
      operationId: 'listPossibleDuplicates',
      tags, summary: 'Records that may be the same person', description: 'Live records sharing an address, or with similar names at the same current organisation.',
      querystring: paginationQuery, response: { 200: pageOf(duplicateGroupSchema), ...problems },
    },
  }, async (request) => {
    const { limit, offset } = request.query
    return { ...(await personRecords.duplicates(limit, offset)), limit, offset }
  })

  app.get('/v1/people/:id', {
    schema: { operationId: 'getPerson', tags, summary: 'One person, with current and past roles', params: idParam, response: { 200: personSchema, ...problems } },
  }, async (request, reply) => {
    const person = await peopleService.require(request.params.id)
    return reply.header('etag', etagOf(person.version)).send(person)
  })

  app.patch('/v1/people/:id', {
    schema: { operationId: 'updatePerson', tags, summary: 'Change a person', description: staleNote, params: idParam, body: personPatch, response: { 200: personSchema, ...problems, 409: problemSchema } },
  }, async (request, reply) => {
    const { version: bodyVersion, ...patch } = request.body
    const person = await peopleService.update(request.params.id, patch, expectedVersion(request, bodyVersion), writeContext(request))
    return reply.header('etag', etagOf(person.version)).send(person)
  })

  app.post('/v1/people/:id/affiliations', {
    schema: { operationId: 'addAffiliation', tags, summary: 'Add a role at an organisation', params: idParam, body: affiliationInput, response: { 201: personSchema, ...problems } },
  }, async (request, reply) => {
    const person = await peopleService.addAffiliation(request.params.id, { role: null, startDate: null, endDate: null, ...request.body }, writeContext(request))
    return reply.status(201).send(person)
  })

  app.patch('/v1/people/:id/affiliations/:affiliationId', {
    schema: {
      operationId: 'updateAffiliation',
      tags, summary: 'Change or end a role', description: `Ending a role (endDate) keeps it in the person's history. ${staleNote} (the affiliation's version)`,
      params: affiliationParams, body: affiliationPatch, response: { 200: personSchema, ...problems, 409: problemSchema },
    },
  }, async (request) => {
    const { version: bodyVersion, ...patch } = request.body
    return peopleService.updateAffiliation(request.params.id, request.params.affiliationId, patch, expectedVersion(request, bodyVersion), writeContext(request))
  })

  app.get('/v1/people/:id/timeline', {
    schema: {
      operationId: 'getPersonTimeline',
      tags, summary: "A person's interactions and role changes, newest first", params: idParam, querystring: timelineQuery,
      response: { 200: pageOf(timelineEntrySchema), ...problems },
    },
  }, async (request) => {
    await peopleService.require(request.params.id)
    const { limit, offset } = request.query
    return { ...(await timelines.ofPerson(request.params.id, limit, offset)), limit, offset }
  })

  app.post('/v1/people/:id/merge', {
    schema: {
      operationId: 'mergePeople',
      tags, summary: 'Merge duplicate records into this one',
      description: "Every email, role and interaction of the duplicates moves to this person; the duplicates then answer 404 naming this one. Emits contacts.person.merged. Optional `version` (or If-Match) is this person's.",
      params: idParam, body: mergeInput, response: { 200: personSchema, ...problems, 409: problemSchema },
    },
  }, async (request) => {
    const expected = request.headers['if-match'] || request.body.version !== undefined ? expectedVersion(request, request.body.version) : undefined
    return personRecordsService.merge(request.params.id, request.body.duplicateIds, expected, writeContext(request))
  })

  app.post('/v1/people/:id/erase', {
    config: { roles: ['admin'] },
    schema: {
      operationId: 'erasePerson',
      tags, summary: 'Erase a person at their request (right to erasure)',
      description: 'Admins only. Deletes the record, its emails and roles (and records merged into it); interactions stay without the person, their name and addresses replaced by [erased] in the text (the family name alone too, where they took part); audit rows keep what changed but not the values. Emits contacts.person.erased. Cannot be undone.',
      params: idParam, response: { 200: erasureSchema, ...problems },
    },
  }, async (request) => personRecordsService.erase(request.params.id, writeContext(request)))
}
