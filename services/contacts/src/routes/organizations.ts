import type { HttpApp } from '@ccm/http'
import { etagOf, expectedVersion, pageOf, problemSchema, requiredVersion, writeContext } from '@ccm/http'
import { errors } from '../errors.ts'
import { idParam } from '../schemas/common.ts'
import {
  archiveInput,
  listOrganizationsQuery,
  organizationInput,
  organizationPatch,
  organizationSchema,
} from '../schemas/organizations.ts'

const tags = ['organizations']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }

export default async function organizationsRoutes(app: HttpApp) {
  const { organizations, organizationsService } = app.contacts

  app.get(
    '/v1/organizations',
    {
      schema: {
        operationId: 'listOrganizations',
        tags,
        summary: 'Organisations, filtered and sorted by name',
        querystring: listOrganizationsQuery,
        response: { 200: pageOf(organizationSchema), ...problems },
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query
      return { ...(await organizations.list(filter, { limit, offset })), limit, offset }
    },
  )

  app.post(
    '/v1/organizations',
    {
      schema: {
        operationId: 'createOrganization',
        tags,
        summary: 'Add an organisation',
        body: organizationInput,
        response: { 201: organizationSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { shortName = null, country = null, website = null, ...rest } = request.body
      const created = await organizationsService.create({ ...rest, shortName, country, website }, writeContext(request))
      return reply.status(201).header('etag', etagOf(created.version)).send(created)
    },
  )

  app.get(
    '/v1/organizations/:id',
    {
      schema: {
        operationId: 'getOrganization',
        tags,
        summary: 'One organisation',
        params: idParam,
        response: { 200: organizationSchema, ...problems },
      },
    },
    async (request, reply) => {
      const organization = await organizations.get(request.params.id)
      if (!organization) throw new errors.OrganizationNotFound(request.params.id)
      return reply.header('etag', etagOf(organization.version)).send(organization)
    },
  )

  app.patch(
    '/v1/organizations/:id',
    {
      schema: {
        operationId: 'updateOrganization',
        tags,
        summary: 'Change an organisation',
        description:
          'Send the version you read (body `version` or `If-Match`); a stale one gets 409 and changes nothing.',
        params: idParam,
        body: organizationPatch,
        response: { 200: organizationSchema, ...problems, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const { version, ...patch } = request.body
      const updated = await organizationsService.update(
        request.params.id,
        patch,
        requiredVersion(request, version),
        writeContext(request),
      )
      return reply.header('etag', etagOf(updated.version)).send(updated)
    },
  )

  app.post(
    '/v1/organizations/:id/archive',
    {
      schema: {
        operationId: 'archiveOrganization',
        tags,
        summary: 'Archive an organisation',
        description: 'It leaves the lists and search but keeps its history; archiving twice changes nothing.',
        params: idParam,
        body: archiveInput.nullish(),
        response: { 200: organizationSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) => {
      const version = expectedVersion(request, request.body?.version)
      return organizationsService.archive(request.params.id, version, writeContext(request))
    },
  )
}
