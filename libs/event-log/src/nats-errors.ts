import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { isWasmbedError } from '@wasmbed/errors';
import { EventStoreRequestError, EventStoreUnavailableError } from './errors';

/** The broker rejected a publish because Nats-Expected-Last-Subject-Sequence did not match. */
export function isWrongLastSequence(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamWrongLastSequence || err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

export function isStreamNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;
}

/** Maps client/broker failures to Wasmbed errors; Wasmbed errors pass through unchanged. */
export function toStoreError(operation: string, err: unknown): Error {
  if (isWasmbedError(err)) return err;
  if (err instanceof JetStreamApiError) return new EventStoreRequestError(operation, err.code, { cause: err });
  return new EventStoreUnavailableError(operation, { cause: err });
}
