import { ValidationError } from '@wasmbed/errors';

// Every object frozenJson returned, hence checked and frozen along with all it holds.
const checked = new WeakSet<object>();
const OMITTED = Symbol('omitted');

/**
 * `value` as a JSON round trip would give it back (JSON.parse(JSON.stringify(value))),
 * deep-frozen; undefined when JSON has no value for it (undefined, a function).
 *
 * Only what no earlier call returned is walked: a document built copy-on-write from
 * its previous version shares the unchanged parts, which were checked and frozen
 * then, so a write costs the size of what changed, not of the whole document.
 * Parts that are already plain JSON are frozen in place and kept, not copied (the
 * caller hands them over); only parts JSON would change (a Date, an undefined
 * member, NaN, a class instance…) are replaced by what JSON would make of them.
 * Arrays are taken to hold only their elements, as JSON sees them.
 */
export function frozenJson(value: unknown): unknown {
  const result = normalize(value, '', new Set());
  return result === OMITTED ? undefined : result;
}

function normalize(input: unknown, key: string, ancestors: Set<object>): unknown {
  const value = withToJson(input, key);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // JSON writes -0 as 0 and has no NaN or Infinity (it writes null).
      return Number.isFinite(value) ? value + 0 : null;
    case 'undefined':
    case 'function':
    case 'symbol':
      return OMITTED;
    case 'bigint':
      throw new ValidationError('document must be a JSON value: a BigInt has no JSON form', ['doc: invalid']);
  }
  if (value === null) return null;
  const object = value as object;
  if (checked.has(object)) return object;
  if (object instanceof Number || object instanceof String || object instanceof Boolean) return normalize(object.valueOf(), key, ancestors);
  if (ancestors.has(object)) throw new ValidationError('document must be a JSON value: it refers to itself', ['doc: invalid']);
  ancestors.add(object);
  const result = Array.isArray(object) ? normalizeArray(object, ancestors) : normalizeObject(object as Record<string, unknown>, ancestors);
  ancestors.delete(object);
  Object.freeze(result);
  checked.add(result);
  return result;
}

function withToJson(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  return typeof toJSON === 'function' ? (toJSON as (key: string) => unknown).call(value, key) : value;
}

function normalizeArray(array: readonly unknown[], ancestors: Set<object>): unknown[] {
  let copy: unknown[] | undefined = Object.getPrototypeOf(array) === Array.prototype ? undefined : [];
  for (let i = 0; i < array.length; i += 1) {
    const original = array[i];
    const element = normalize(original, String(i), ancestors);
    const json = element === OMITTED ? null : element;
    if (copy === undefined && !Object.is(json, original)) copy = array.slice(0, i);
    copy?.push(json);
  }
  return copy ?? (array as unknown[]);
}

function normalizeObject(object: Record<string, unknown>, ancestors: Set<object>): Record<string, unknown> {
  const keys = Object.keys(object);
  let copy: Record<string, unknown> | undefined = Object.getPrototypeOf(object) === Object.prototype ? undefined : {};
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i];
    const original = object[key];
    const member = normalize(original, key, ancestors);
    if (copy === undefined && !Object.is(member, original)) copy = copyOf(object, keys.slice(0, i));
    // defineProperty, so a member named "__proto__" stays a member, as JSON.parse makes it.
    if (copy !== undefined && member !== OMITTED) Object.defineProperty(copy, key, { value: member, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? object;
}

function copyOf(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of keys) Object.defineProperty(copy, key, { value: object[key], enumerable: true, writable: true, configurable: true });
  return copy;
}
