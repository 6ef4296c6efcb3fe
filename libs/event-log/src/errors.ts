import { WasmbedError } from '@wasmbed/errors';
import type { StreamRef } from './types';

/** An aggregate type/id (or context name) that cannot be used as a subject token. */
export class InvalidStreamId extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(readonly field: string, readonly value: string, readonly reason: string) {
    super(`invalid ${field} ${JSON.stringify(value)}: ${reason}`, { field, value, reason });
  }
}

/** The arguments of an append are unusable (no events, bad or repeated event ids, bad expectedVersion). */
export class InvalidCommitError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(readonly stream: StreamRef, readonly reason: string) {
    super(`invalid commit to ${stream.aggregateType}/${stream.aggregateId}: ${reason}`, { stream, reason });
  }
}

/** The encoded commit is larger than the broker accepts; nothing was published. */
export class CommitTooLargeError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(readonly stream: StreamRef, readonly sizeBytes: number, readonly maxBytes: number) {
    super(`commit to ${stream.aggregateType}/${stream.aggregateId} is ${sizeBytes} bytes, max ${maxBytes}`, {
      stream,
      sizeBytes,
      maxBytes,
    });
  }
}

/**
 * Optimistic concurrency failure: the stream is not at the expected version, so
 * nothing was written. `actual` is the version observed right after the rejection.
 */
export class StreamVersionConflict extends WasmbedError {
  readonly code = 'conflict' as const;
  constructor(readonly stream: StreamRef, readonly expected: number, readonly actual: number) {
    super(`stream ${stream.aggregateType}/${stream.aggregateId} is at version ${actual}, expected ${expected}`, {
      stream,
      expected,
      actual,
    });
  }
}

/** The event type is not in the registry: appending it is refused, reading it is fatal (never skipped). */
export class UnknownEventTypeError extends WasmbedError {
  readonly code = 'internal' as const;
  constructor(readonly type: string, readonly subject: string, readonly position?: number) {
    super(
      `unknown event type ${JSON.stringify(type)} on ${subject}` + (position === undefined ? '' : ` at position ${position}`),
      { type, subject, position },
    );
  }
}

/** A stored schema version this process cannot turn into the current shape. */
export class UnsupportedSchemaVersionError extends WasmbedError {
  readonly code = 'internal' as const;
  constructor(readonly type: string, readonly schemaVersion: number, readonly reason: string) {
    super(`event type ${JSON.stringify(type)} schema version ${schemaVersion}: ${reason}`, { type, schemaVersion, reason });
  }
}

/** A stored commit that does not decode (bad JSON, unknown format version, missing fields, bad subject). */
export class CorruptEventError extends WasmbedError {
  readonly code = 'internal' as const;
  constructor(readonly subject: string, readonly position: number, readonly reason: string, options?: { cause?: unknown }) {
    super(`corrupt commit on ${subject} at position ${position}: ${reason}`, { subject, position, reason }, options);
  }
}

/** A context name that the store was not configured with. */
export class UnknownContextError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(readonly context: string) {
    super(`unknown bounded context ${JSON.stringify(context)}`, { context });
  }
}

/**
 * The broker could not be reached or did not answer in time. For an append the
 * outcome is unknown: retry the same append, it is idempotent.
 */
export class EventStoreUnavailableError extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(readonly operation: string, options?: { cause?: unknown }) {
    super(`event store unavailable during ${operation}: ${causeText(options?.cause)}`, { operation }, options);
  }
}

/** The broker refused a request for a reason the store does not handle (e.g. a missing stream). */
export class EventStoreRequestError extends WasmbedError {
  readonly code = 'internal' as const;
  constructor(readonly operation: string, readonly apiErrorCode: number | undefined, options?: { cause?: unknown }) {
    super(`event store request failed during ${operation}: ${causeText(options?.cause)}`, { operation, apiErrorCode }, options);
  }
}

/** The store was closed; create a new one. */
export class EventStoreClosedError extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor() {
    super('event store is closed');
  }
}

function causeText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
