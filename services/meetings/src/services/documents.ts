import { randomUUID } from 'node:crypto'
import type { Events } from '@ccm/events'
import type { WriteContext } from '@ccm/http'
import { errors } from '../errors.ts'
import type { DocumentsRepository, MeetingDocument } from '../repositories/documents.ts'
import type { MeetingsRepository } from '../repositories/meetings.ts'

export function createDocumentsService(deps: {
  meetings: MeetingsRepository
  documents: DocumentsRepository
  events: Pick<Events, 'withWrites'>
}) {
  const { meetings, documents, events } = deps
  return {
    /** 409 if the meeting has a document with that symbol already. */
    async add(
      meetingId: string,
      input: Pick<MeetingDocument, 'symbol' | 'title' | 'kind' | 'languages'>,
      ctx: WriteContext,
    ): Promise<MeetingDocument> {
      return events.withWrites(async ({ client, writes }) => {
        if (!(await meetings.get(meetingId, client))) throw new errors.MeetingNotFound(meetingId)
        const document = await documents.insert({ ...input, id: randomUUID(), meetingId }, ctx.actor, client)
        if (!document) throw new errors.AlreadyRegistered(`The meeting has a document ${input.symbol} already`)
        writes.audit({
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          entityType: 'document',
          entityId: document.id,
          action: 'document.added',
          before: null,
          after: { meetingId, symbol: document.symbol, title: document.title, kind: document.kind },
        })
        return document
      })
    },
  }
}
