import type { HttpApp } from '@ccm/http'
import { problemSchema, writeContext } from '@ccm/http'
import { errors } from '../errors.ts'
import { idParam } from '../schemas/channels.ts'
import { mediaQuery, mediaSchema } from '../schemas/media.ts'
import { imageTypeOf, MAX_IMAGE_BYTES } from '../services/images.ts'

const tags = ['media']
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema }

export default async function mediaRoutes(app: HttpApp) {
  const { media } = app.social

  // Images arrive as the raw request body; anything else is refused by the handler with a reason.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_IMAGE_BYTES * 2 }, (_request, body, done) =>
    done(null, body),
  )

  app.post(
    '/v1/media',
    {
      // Room above the image limit, so an oversize image is told the limit (413) by the handler, not cut off by the
      // parser.
      bodyLimit: MAX_IMAGE_BYTES * 2,
      schema: {
        operationId: 'uploadMedia',
        tags,
        summary: 'Upload an image to attach to posts',
        description:
          `The image is the request body, with its Content-Type (image/png, image/jpeg, image/gif or image/webp), at ` +
          `most ${MAX_IMAGE_BYTES / 1024 / 1024} MB. The bytes must match the declared type.`,
        querystring: mediaQuery,
        response: { 201: mediaSchema, ...problems, 413: problemSchema, 415: problemSchema },
      },
    },
    async (request, reply) => {
      const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      const declared = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      if (bytes.length > MAX_IMAGE_BYTES)
        throw new errors.MediaTooLarge(`The image is ${bytes.length} bytes; at most ${MAX_IMAGE_BYTES} are accepted`)
      const actual = await imageTypeOf(bytes)
      if (!actual)
        throw new errors.MediaRefused(
          `Only PNG, JPEG, GIF or WebP images are accepted (declared ${declared || 'nothing'}; ` +
            `the bytes are not an image of those types)`,
        )
      if (declared !== actual)
        throw new errors.MediaRefused(`The Content-Type says ${declared || 'nothing'} but the bytes are ${actual}`)
      const saved = await media.insert(
        { contentType: actual, bytes, altText: request.query.altText ?? null },
        writeContext(request).actor,
      )
      return reply.status(201).send(saved)
    },
  )

  app.get(
    '/v1/media/:id',
    {
      schema: {
        operationId: 'getMedia',
        tags,
        summary: 'An uploaded image’s details',
        params: idParam,
        response: { 200: mediaSchema, ...problems },
      },
    },
    async (request) => {
      const found = await media.get(request.params.id)
      if (!found) throw new errors.MediaNotFound(request.params.id)
      return found
    },
  )
}
