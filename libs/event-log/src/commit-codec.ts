import { isWasmbedError } from '@wasmbed/errors';
import { CorruptEventError, UnknownEventTypeError, UnsupportedSchemaVersionError } from './errors';
import { parseSubject } from './subjects';
import type { DomainEvent, EventMetadata, EventTypeRegistry, NewEvent, RecordedEvent } from './types';

/** Version of the message body format (see README.md). */
export const COMMIT_FORMAT_VERSION = 1;

interface StoredEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

interface CommitBody {
  readonly v: typeof COMMIT_FORMAT_VERSION;
  readonly events: readonly StoredEvent[];
}

/** One stored message as read back from the log. */
export interface RawCommit {
  readonly subject: string;
  readonly position: number;
  /** ISO-8601 store time. */
  readonly storedAt: string;
  readonly body: Uint8Array;
}

/**
 * JSON body `{ v: 1, events: [{ type, schemaVersion, data, metadata }] }`. Each event
 * is stamped with its type's current schema version; unregistered types are refused.
 */
export function encodeCommit(events: readonly NewEvent[], registry: EventTypeRegistry, subject: string): Uint8Array {
  const body: CommitBody = {
    v: COMMIT_FORMAT_VERSION,
    events: events.map(({ event, metadata }) => {
      const schemaVersion = registry.currentSchemaVersion(event.type);
      if (schemaVersion === undefined) throw new UnknownEventTypeError(event.type, subject);
      return { type: event.type, schemaVersion, data: event.data, metadata: pickMetadata(metadata) };
    }),
  };
  return new TextEncoder().encode(JSON.stringify(body));
}

export function pickMetadata(m: EventMetadata): EventMetadata {
  const { eventId, correlationId, causationId, actor, timestamp } = m;
  return causationId === undefined
    ? { eventId, correlationId, actor, timestamp }
    : { eventId, correlationId, causationId, actor, timestamp };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readMetadata(raw: unknown): EventMetadata | undefined {
  if (!isRecord(raw)) return undefined;
  const { eventId, correlationId, causationId, actor, timestamp } = raw;
  if (!isString(eventId) || !isString(correlationId) || !isString(actor) || !isString(timestamp)) return undefined;
  if (causationId !== undefined && !isString(causationId)) return undefined;
  return pickMetadata({ eventId, correlationId, causationId, actor, timestamp });
}

function parseBody(raw: RawCommit): readonly unknown[] {
  const corrupt = (reason: string, cause?: unknown): CorruptEventError =>
    new CorruptEventError(raw.subject, raw.position, reason, cause === undefined ? undefined : { cause });
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw.body));
  } catch (err) {
    throw corrupt('body is not UTF-8 JSON', err);
  }
  if (!isRecord(parsed)) throw corrupt('body is not a JSON object');
  if (parsed.v !== COMMIT_FORMAT_VERSION) throw corrupt(`unsupported body format version ${JSON.stringify(parsed.v)}`);
  if (!Array.isArray(parsed.events) || parsed.events.length === 0) throw corrupt('body has no events');
  return parsed.events;
}

function currentData(raw: RawCommit, registry: EventTypeRegistry, type: string, stored: number, data: unknown): { data: unknown; version: number } {
  const current = registry.currentSchemaVersion(type);
  if (current === undefined) throw new UnknownEventTypeError(type, raw.subject, raw.position);
  if (stored === current) return { data, version: current };
  if (stored > current) throw new UnsupportedSchemaVersionError(type, stored, `newer than this process knows (${current})`);
  try {
    return { data: registry.upcast(type, stored, data), version: current };
  } catch (err) {
    if (isWasmbedError(err)) throw err;
    throw new CorruptEventError(raw.subject, raw.position, `upcasting ${type} from version ${stored} failed`, { cause: err });
  }
}

/**
 * Decodes one stored commit into its events, upcast to the current schema versions.
 * Throws UnknownEventTypeError for an unregistered type (never skips an event) and
 * CorruptEventError for anything that is not a well-formed commit.
 */
export function decodeCommit<E extends DomainEvent = DomainEvent>(raw: RawCommit, registry: EventTypeRegistry): RecordedEvent<E>[] {
  const stream = parseSubject(raw.subject);
  if (stream === undefined) throw new CorruptEventError(raw.subject, raw.position, 'subject is not an event stream subject');
  const events = parseBody(raw);
  return events.map((ev, indexInCommit) => {
    const where = `events[${indexInCommit}]`;
    if (!isRecord(ev) || !isString(ev.type) || ev.type === '') {
      throw new CorruptEventError(raw.subject, raw.position, `${where} has no type`);
    }
    if (!Number.isSafeInteger(ev.schemaVersion) || (ev.schemaVersion as number) < 1) {
      throw new CorruptEventError(raw.subject, raw.position, `${where} has no valid schemaVersion`);
    }
    const metadata = readMetadata(ev.metadata);
    if (metadata === undefined) throw new CorruptEventError(raw.subject, raw.position, `${where} has malformed metadata`);
    const { data, version } = currentData(raw, registry, ev.type, ev.schemaVersion as number, ev.data);
    return {
      stream,
      type: ev.type as E['type'],
      data: data as E['data'],
      schemaVersion: version,
      metadata,
      position: raw.position,
      indexInCommit,
      commitSize: events.length,
      storedAt: raw.storedAt,
    };
  });
}
