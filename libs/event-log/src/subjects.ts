import { InvalidStreamId } from './errors';
import type { StreamRef } from './types';

/** Every event subject starts with this; the next two tokens are aggregate type and id. */
export const EVENT_SUBJECT_PREFIX = 'wasmbed.evt';

export const MAX_STREAM_ID_LENGTH = 128;

// Dots would split the token, wildcards would widen filters, whitespace and control
// characters are illegal in NATS subjects.
const FORBIDDEN_IN_TOKEN = /[.*>\s\p{Cc}]/u;
const STREAM_NAME_PART = /^[A-Za-z0-9_-]+$/;

/** Throws InvalidStreamId unless `value` can be one subject token. */
export function validateSubjectToken(field: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidStreamId(field, String(value), 'must be a non-empty string');
  if (value.length > MAX_STREAM_ID_LENGTH) {
    throw new InvalidStreamId(field, value, `must be at most ${MAX_STREAM_ID_LENGTH} characters`);
  }
  if (FORBIDDEN_IN_TOKEN.test(value)) {
    throw new InvalidStreamId(field, value, "must not contain '.', '*', '>', whitespace or control characters");
  }
}

export function validateStreamRef(ref: StreamRef): void {
  validateSubjectToken('aggregateType', ref.aggregateType);
  validateSubjectToken('aggregateId', ref.aggregateId);
}

/** `wasmbed.evt.<aggregateType>.<aggregateId>` (validated). */
export function subjectFor(ref: StreamRef): string {
  validateStreamRef(ref);
  return `${EVENT_SUBJECT_PREFIX}.${ref.aggregateType}.${ref.aggregateId}`;
}

/** The subjects of all streams of one aggregate type. */
export function subjectsOfAggregateType(aggregateType: string): string {
  validateSubjectToken('aggregateType', aggregateType);
  return `${EVENT_SUBJECT_PREFIX}.${aggregateType}.*`;
}

/** Inverse of subjectFor; undefined for subjects outside the event namespace. */
export function parseSubject(subject: string): StreamRef | undefined {
  const prefix = `${EVENT_SUBJECT_PREFIX}.`;
  if (!subject.startsWith(prefix)) return undefined;
  const tokens = subject.slice(prefix.length).split('.');
  if (tokens.length !== 2 || tokens[0] === '' || tokens[1] === '') return undefined;
  return { aggregateType: tokens[0], aggregateId: tokens[1] };
}

/** JetStream stream name of a context log, e.g. `WASMBED_EVT_FLEET`. */
export function streamNameFor(prefix: string, context: string): string {
  if (!STREAM_NAME_PART.test(prefix)) throw new InvalidStreamId('streamNamePrefix', prefix, 'must match [A-Za-z0-9_-]+');
  if (!STREAM_NAME_PART.test(context)) throw new InvalidStreamId('context', context, 'must match [A-Za-z0-9_-]+');
  return `${prefix}_${context.toUpperCase()}`;
}
