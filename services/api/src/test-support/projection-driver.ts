// Test-only: applies commits to a projection the way ProjectionRunner does (marks per event, one commit at a time).
import type { DomainEvent, RecordedEvent, StreamRef } from '@wasmbed/event-log';
import type { DocumentStore, Projection, ProjectionDocuments } from '@wasmbed/read-models';

export class ProjectionDriver<E extends DomainEvent> {
  position = 0;

  constructor(
    private readonly projection: Projection<E>,
    private readonly store: DocumentStore,
    private readonly context: string,
    private readonly timestamp = '2025-03-01T12:00:00.000Z',
  ) {}

  /** Applies one commit; returns its position. */
  async commit(stream: StreamRef, events: readonly E[]): Promise<number> {
    this.position += 1;
    const position = this.position;
    for (const [index, event] of events.entries()) {
      const recorded: RecordedEvent<E> = {
        stream,
        type: event.type,
        data: event.data,
        schemaVersion: 1,
        metadata: { eventId: `${position}-${index}`, correlationId: 'corr', actor: 'tester', timestamp: this.timestamp },
        position,
        indexInCommit: index,
        commitSize: events.length,
        storedAt: this.timestamp,
      };
      await this.projection.handle(recorded, this.documents(position, index));
    }
    return position;
  }

  private documents(position: number, index: number): ProjectionDocuments {
    const applied = { [this.context]: { position, index } };
    return {
      get: async (collection, id) => (await this.store.get(collection, id))?.doc as never,
      put: (collection, id, doc) => this.store.put(collection, id, doc, { applied }),
      delete: (collection, id) => this.store.delete(collection, id),
      list: (collection, options) => this.store.list(collection, options),
    };
  }
}
