import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { tidyOpenApiDocument } from './openapi-document.ts'

/** OpenAPI 3.1 generated from the routes' zod schemas: JSON at /docs/json, a UI at /docs. */
export const swaggerPlugin = fp(
  async (app: FastifyInstance, options: { title: string; version: string; description?: string }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: options.title, version: options.version, description: options.description },
        // Relative: the API is where this document is served from, behind whatever host or proxy.
        servers: [{ url: '/', description: 'the host that serves this document' }],
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description:
                'Roles: viewer (reads), editor (reads and writes), admin (everything). `npm run token` issues one.',
            },
          },
        },
        security: [{ bearerAuth: [] }],
      },
      transform: jsonSchemaTransform,
      transformObject: (input) => tidyOpenApiDocument(jsonSchemaTransformObject(input) as Record<string, unknown>),
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
  },
  { name: 'ccm-swagger' },
)
