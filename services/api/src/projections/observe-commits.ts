import type { DomainEvent } from '@wasmbed/event-log';
import { defineProjection, type Projection } from '@wasmbed/read-models';
import type { ObservedDocumentStore } from './observed-document-store';

/**
 * Makes the store publish a commit's changes once its last event is applied.
 * Every event must reach the handler for that, so the projection may not
 * narrow `eventTypes`.
 */
export function observeCommits<E extends DomainEvent>(projection: Projection<E>, store: ObservedDocumentStore): Projection<E> {
  if (projection.eventTypes !== undefined) {
    throw new Error(`projection ${projection.name}: observed projections must receive every event (no eventTypes)`);
  }
  return defineProjection<E>({
    ...projection,
    async handle(event, documents) {
      try {
        await projection.handle(event, documents);
      } catch (err) {
        store.discard();
        throw err;
      }
      if (event.indexInCommit === event.commitSize - 1) await store.publish(event.position);
    },
  });
}
