import type { HttpApp } from '@ccm/http'
import { problemSchema } from '@ccm/http'
import { invalidInput } from '@ccm/http'
import type { SearchCursor } from '../repositories/search.ts'
import { searchQuery, searchResultSchema } from '../schemas/search.ts'

const encode = (cursor: SearchCursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url')

function decode(text: string): SearchCursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    if (
      typeof cursor.score === 'string' &&
      /^\d+(\.\d+)?$/.test(cursor.score) &&
      typeof cursor.type === 'string' &&
      typeof cursor.id === 'string'
    )
      return cursor
  } catch {}
  throw invalidInput('query.cursor', 'is not a cursor this search returned')
}

export default async function searchRoutes(app: HttpApp) {
  const { search } = app.contacts

  app.get(
    '/v1/search',
    {
      schema: {
        operationId: 'search',
        tags: ['search'],
        summary: 'Find people, organisations and states by name, best match first',
        description:
          'Every word typed must match a word of the name: exactly, as its beginning, or one typo away (two for long ' +
          'words). Ranked by how well the words match, then by how much of the name they cover. Page with `cursor`.',
        querystring: searchQuery,
        response: { 200: searchResultSchema, 400: problemSchema, 401: problemSchema },
      },
    },
    async (request) => {
      const { q, limit, cursor, ...filter } = request.query
      const hits = await search.search(q, filter, limit + 1, cursor ? decode(cursor) : null)
      const page = hits.slice(0, limit)
      const last = page[page.length - 1]
      return {
        items: page.map((h) => ({ ...h, score: Number(h.score) })),
        nextCursor: hits.length > limit && last ? encode({ score: last.score, type: last.type, id: last.id }) : null,
      }
    },
  )
}
