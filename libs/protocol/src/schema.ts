import { isCborMap } from './cbor/values';
import { ProtocolError, type ProtocolErrorCode, type ProtocolErrorInfo } from './errors';

/**
 * Declarative description of a body or manifest field. The same description
 * validates decoded input and values about to be encoded, and tests derive
 * generators from it, so the three cannot drift apart.
 */
export type SchemaNode =
  | { readonly kind: 'uint'; readonly min: number; readonly max: number }
  | { readonly kind: 'text'; readonly minBytes: number; readonly maxBytes: number; readonly pattern?: RegExp }
  | { readonly kind: 'bytes'; readonly minBytes: number; readonly maxBytes: number }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly item: SchemaNode; readonly maxItems: number; readonly order: 'any' | 'unique' | 'sorted' }
  | { readonly kind: 'textMap'; readonly key: SchemaNode; readonly value: SchemaNode; readonly maxEntries: number }
  | {
      readonly kind: 'record';
      readonly fields: Readonly<Record<string, { readonly node: SchemaNode; readonly optional: boolean }>>;
      /** Closed records reject unknown keys (manifests); open ones ignore them (message bodies). */
      readonly closed: boolean;
    };

/** Which protocol error a validation failure raises: bodies say invalid_message, manifests invalid_manifest. */
export interface ParseContext {
  readonly code: ProtocolErrorCode;
  /** Added to every error raised, e.g. the msgId of the message being read. */
  readonly info?: Omit<ProtocolErrorInfo, 'path'>;
}

export interface Schema<T> {
  readonly node: SchemaNode;
  /** Returns a clean copy of `value` (unknown keys dropped) or throws ProtocolError naming `path`. */
  parse(value: unknown, path: string, ctx: ParseContext): T;
}

export interface OptionalField<T> {
  readonly optional: true;
  readonly schema: Schema<T>;
}

type Field = Schema<unknown> | OptionalField<unknown>;
type FieldType<F> = F extends OptionalField<infer T> ? T : F extends Schema<infer T> ? T : never;
type RecordType<F extends Record<string, Field>> = {
  readonly [K in keyof F as F[K] extends OptionalField<unknown> ? never : K]: FieldType<F[K]>;
} & {
  readonly [K in keyof F as F[K] extends OptionalField<unknown> ? K : never]?: FieldType<F[K]>;
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function fail(ctx: ParseContext, path: string, message: string): never {
  throw new ProtocolError(ctx.code, message, { ...ctx.info, path });
}

export function uint(min: number, max: number): Schema<number> {
  return {
    node: { kind: 'uint', min, max },
    parse(value, path, ctx) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
        fail(ctx, path, `must be an unsigned integer in [${min}, ${max}]`);
      }
      return value;
    },
  };
}

/** Text whose UTF-8 length is within bounds; `pattern`, when given, must match the whole string. */
export function text(minBytes: number, maxBytes: number, pattern?: RegExp): Schema<string> {
  return {
    node: { kind: 'text', minBytes, maxBytes, pattern },
    parse(value, path, ctx) {
      if (typeof value !== 'string' || LONE_SURROGATE.test(value)) fail(ctx, path, 'must be a text string');
      const bytes = Buffer.byteLength(value, 'utf8');
      if (bytes < minBytes || bytes > maxBytes) fail(ctx, path, `must be ${minBytes} to ${maxBytes} bytes of UTF-8, got ${bytes}`);
      if (pattern && !pattern.test(value)) fail(ctx, path, `must match ${pattern.source}`);
      return value;
    },
  };
}

export function bytes(minBytes: number, maxBytes = minBytes): Schema<Uint8Array> {
  return {
    node: { kind: 'bytes', minBytes, maxBytes },
    parse(value, path, ctx) {
      if (!(value instanceof Uint8Array)) fail(ctx, path, 'must be a byte string');
      if (value.length < minBytes || value.length > maxBytes) {
        fail(ctx, path, minBytes === maxBytes ? `must be ${minBytes} bytes, got ${value.length}` : `must be ${minBytes} to ${maxBytes} bytes, got ${value.length}`);
      }
      return value;
    },
  };
}

export function bool(): Schema<boolean> {
  return {
    node: { kind: 'bool' },
    parse(value, path, ctx) {
      if (typeof value !== 'boolean') fail(ctx, path, 'must be true or false');
      return value;
    },
  };
}

export function oneOf<V extends string>(values: readonly V[]): Schema<V> {
  return {
    node: { kind: 'enum', values },
    parse(value, path, ctx) {
      if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
        fail(ctx, path, `must be one of ${values.map((v) => `"${v}"`).join(', ')}`);
      }
      return value as V;
    },
  };
}

/**
 * An array of at most `maxItems`. `unique` forbids repeated items, `sorted` also
 * requires them in the bytewise order of their UTF-8 (text items only), which makes
 * a set have exactly one encoding.
 */
export function arrayOf<T>(item: Schema<T>, maxItems: number, order: 'any' | 'unique' | 'sorted' = 'any'): Schema<T[]> {
  return {
    node: { kind: 'array', item: item.node, maxItems, order },
    parse(value, path, ctx) {
      if (!Array.isArray(value)) fail(ctx, path, 'must be an array');
      if (value.length > maxItems) fail(ctx, path, `must have at most ${maxItems} items, got ${value.length}`);
      const items = value.map((v: unknown, i) => item.parse(v, `${path}[${i}]`, ctx));
      if (order !== 'any') checkOrder(items, order, path, ctx);
      return items;
    },
  };
}

function checkOrder(items: readonly unknown[], order: 'unique' | 'sorted', path: string, ctx: ParseContext): void {
  if (order === 'unique') {
    if (new Set(items).size !== items.length) fail(ctx, path, 'must not repeat an item');
    return;
  }
  for (let i = 1; i < items.length; i++) {
    if (Buffer.compare(Buffer.from(String(items[i - 1])), Buffer.from(String(items[i]))) >= 0) {
      fail(ctx, `${path}[${i}]`, 'items must be unique and in ascending bytewise order');
    }
  }
}

/** A map from text keys to values of one schema. */
export function textMap<V>(key: Schema<string>, value: Schema<V>, maxEntries: number): Schema<Record<string, V>> {
  return {
    node: { kind: 'textMap', key: key.node, value: value.node, maxEntries },
    parse(input, path, ctx) {
      if (!isCborMap(input)) fail(ctx, path, 'must be a map');
      const entries = Object.entries(input);
      if (entries.length > maxEntries) fail(ctx, path, `must have at most ${maxEntries} entries, got ${entries.length}`);
      const out: Record<string, V> = {};
      for (const [k, v] of entries) {
        key.parse(k, `${path}.${k}`, ctx);
        // defineProperty: a key such as "__proto__" must stay data, never become a prototype.
        Object.defineProperty(out, k, { value: value.parse(v, `${path}.${k}`, ctx), enumerable: true, writable: true, configurable: true });
      }
      return out;
    },
  };
}

export function optional<T>(schema: Schema<T>): OptionalField<T> {
  return { optional: true, schema };
}

function isOptional(field: Field): field is OptionalField<unknown> {
  return 'optional' in field;
}

/** A map with named fields. Only own properties count; an optional field is absent, never null. */
export function record<F extends Record<string, Field>>(fields: F, options: { closed?: boolean } = {}): Schema<RecordType<F>> {
  const closed = options.closed ?? false;
  const specs = Object.entries(fields).map(([name, field]) => ({
    name,
    optional: isOptional(field),
    schema: isOptional(field) ? field.schema : field,
  }));
  return {
    node: {
      kind: 'record',
      fields: Object.fromEntries(specs.map((s) => [s.name, { node: s.schema.node, optional: s.optional }])),
      closed,
    },
    parse(value, path, ctx) {
      if (!isCborMap(value)) fail(ctx, path, 'must be a map');
      const out: Record<string, unknown> = {};
      for (const spec of specs) {
        const present = Object.prototype.hasOwnProperty.call(value, spec.name) && value[spec.name] !== undefined;
        if (present) out[spec.name] = spec.schema.parse(value[spec.name], `${path}.${spec.name}`, ctx);
        else if (!spec.optional) fail(ctx, `${path}.${spec.name}`, 'is required');
      }
      if (closed) {
        const unknown = Object.keys(value).find((k) => value[k] !== undefined && !Object.prototype.hasOwnProperty.call(fields, k));
        if (unknown !== undefined) fail(ctx, `${path}.${unknown}`, 'is not a known field');
      }
      return out as RecordType<F>;
    },
  };
}

/**
 * Adds a rule across fields. `check` returns the failing field's path suffix and
 * why, or null when the value is fine.
 */
export function refine<T>(schema: Schema<T>, check: (value: T) => { field: string; problem: string } | null): Schema<T> {
  return {
    node: schema.node,
    parse(value, path, ctx) {
      const parsed = schema.parse(value, path, ctx);
      const issue = check(parsed);
      if (issue) fail(ctx, `${path}.${issue.field}`, issue.problem);
      return parsed;
    },
  };
}
