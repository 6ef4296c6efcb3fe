import { ValidationError } from '@wasmbed/errors';
import type { DomainEvent, RecordedEvent } from '@wasmbed/event-log';
import type { ListOptions, Page } from './document-store';
import { assertToken } from './validation';

/**
 * What a projection handler sees of its store. Writes carry no positions: the
 * runner binds this view to the event being handled and drops writes to
 * documents that already reflect that event (redelivery after a crash).
 */
export interface ProjectionDocuments {
  get<T = unknown>(collection: string, id: string): Promise<T | undefined>;
  put<T = unknown>(collection: string, id: string, doc: T): Promise<void>;
  delete(collection: string, id: string): Promise<void>;
  list<T = unknown>(collection: string, options: ListOptions<T>): Promise<Page<T>>;
}

export interface Projection<E extends DomainEvent = DomainEvent> {
  /** Subject-token safe ([A-Za-z0-9_-]); names the KV bucket and the metrics label. */
  readonly name: string;
  /** Bounded contexts whose logs it reads (one subscription and checkpoint each). */
  readonly contexts: readonly string[];
  /**
   * Event types handed to `handle`; the rest are skipped on purpose (their commit
   * still advances the checkpoint). Omit to receive every event.
   */
  readonly eventTypes?: readonly string[];
  /**
   * Applies one event. Derive each document from the event and that document's own
   * previous state: on redelivery a document already holding the event keeps it,
   * so reading one document to compute another may see that event twice.
   * Throwing stops the projection in state 'failed' without advancing its checkpoint.
   */
  handle(event: RecordedEvent<E>, documents: ProjectionDocuments): Promise<void>;
}

/** Checks a projection definition and returns it unchanged. */
export function defineProjection<E extends DomainEvent>(projection: Projection<E>): Projection<E> {
  assertToken('projection name', projection.name);
  if (projection.contexts.length === 0) {
    throw new ValidationError(`projection ${projection.name} reads no context`, ['contexts: required']);
  }
  for (const context of projection.contexts) assertToken('context', context);
  if (new Set(projection.contexts).size !== projection.contexts.length) {
    throw new ValidationError(`projection ${projection.name} lists a context twice`, ['contexts: duplicate']);
  }
  if (projection.eventTypes?.some((type) => typeof type !== 'string' || type.length === 0)) {
    throw new ValidationError(`projection ${projection.name} has an empty event type`, ['eventTypes: invalid']);
  }
  if (typeof projection.handle !== 'function') {
    throw new ValidationError(`projection ${projection.name} has no handle function`, ['handle: required']);
  }
  return projection;
}

/**
 * The event as its discriminated union member. RecordedEvent keeps `type` and
 * `data` as separate fields, so checking `event.type` does not narrow
 * `event.data`; switch on the result of this instead.
 */
export function domainEventOf<E extends DomainEvent>(event: RecordedEvent<E>): E {
  // Sound because the store decodes each event's data for its own type.
  return { type: event.type, data: event.data } as E;
}
