import { InvalidCommitError } from './errors';
import type { ExpectedVersion, NewEvent, StreamRef } from './types';

// Ids and correlation ids end up in headers and logs: keep them printable.
const CONTROL_CHARS = /\p{Cc}/u;

function checkText(stream: StreamRef, field: string, value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidCommitError(stream, `${field} must be a non-empty string`);
  }
  if (CONTROL_CHARS.test(value)) throw new InvalidCommitError(stream, `${field} must not contain control characters`);
}

/** Shape checks of one append: at least one event, well-formed metadata, event ids unique in the call. */
export function validateNewEvents(stream: StreamRef, events: readonly NewEvent[]): void {
  if (!Array.isArray(events) || events.length === 0) throw new InvalidCommitError(stream, 'a commit needs at least one event');
  const seen = new Set<string>();
  events.forEach(({ event, metadata }, i) => {
    if (event === null || typeof event !== 'object') throw new InvalidCommitError(stream, `events[${i}].event is missing`);
    checkText(stream, `events[${i}].event.type`, event.type, true);
    if (metadata === null || typeof metadata !== 'object') throw new InvalidCommitError(stream, `events[${i}].metadata is missing`);
    checkText(stream, `events[${i}].metadata.eventId`, metadata.eventId, true);
    checkText(stream, `events[${i}].metadata.correlationId`, metadata.correlationId, true);
    checkText(stream, `events[${i}].metadata.causationId`, metadata.causationId, false);
    checkText(stream, `events[${i}].metadata.actor`, metadata.actor, true);
    checkText(stream, `events[${i}].metadata.timestamp`, metadata.timestamp, true);
    if (Number.isNaN(Date.parse(metadata.timestamp))) {
      throw new InvalidCommitError(stream, `events[${i}].metadata.timestamp is not an ISO-8601 time`);
    }
    if (seen.has(metadata.eventId)) {
      throw new InvalidCommitError(stream, `event id ${JSON.stringify(metadata.eventId)} appears twice in the commit`);
    }
    seen.add(metadata.eventId);
  });
}

/** The value for Nats-Expected-Last-Subject-Sequence, or undefined for 'any'. */
export function expectedSubjectSequence(stream: StreamRef, expected: ExpectedVersion): number | undefined {
  if (expected === 'any') return undefined;
  if (expected === 'no_stream') return 0;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new InvalidCommitError(stream, `expectedVersion must be 'any', 'no_stream' or an integer >= 0, got ${String(expected)}`);
  }
  return expected;
}
