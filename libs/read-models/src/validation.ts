import { ValidationError } from '@wasmbed/errors';

// One NATS subject token / KV bucket-name fragment: projection names end up in
// bucket names and context names in keys, so both must survive that unchanged.
const TOKEN_RE = /^[A-Za-z0-9_-]+$/;
// Collections must not start with '_': that prefix is reserved for bookkeeping
// keys such as checkpoints.
const COLLECTION_RE = /^[A-Za-z0-9-][A-Za-z0-9_-]*$/;

export function assertToken(kind: string, value: string): void {
  if (!TOKEN_RE.test(value)) {
    throw new ValidationError(`${kind} must match ${TOKEN_RE.source}, got ${JSON.stringify(value)}`, [`${kind}: invalid`]);
  }
}

export function assertCollection(collection: string): void {
  if (!COLLECTION_RE.test(collection)) {
    throw new ValidationError(
      `collection must match ${COLLECTION_RE.source}, got ${JSON.stringify(collection)}`,
      ['collection: invalid'],
    );
  }
}

/** A document address: a valid collection and a non-empty id. */
export function assertDocumentRef(collection: string, id: string): void {
  assertCollection(collection);
  assertDocumentId(id);
}

function assertDocumentId(id: string): void {
  if (typeof id !== 'string' || id.length === 0) {
    throw new ValidationError('document id must be a non-empty string', ['id: required']);
  }
}

export function assertPosition(kind: string, position: number): void {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new ValidationError(`${kind} must be a non-negative integer, got ${position}`, [`${kind}: invalid`]);
  }
}

/** Encodes a document as JSON, refusing values JSON cannot represent at the top level. */
export function toJson(doc: unknown): string {
  const json = JSON.stringify(doc);
  if (json === undefined) throw notAJsonValue();
  return json;
}

export function notAJsonValue(): ValidationError {
  return new ValidationError('document must be a JSON value (not undefined or a function)', ['doc: invalid']);
}
