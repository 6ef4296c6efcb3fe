import fc from 'fast-check';
import { MESSAGE_CATALOG, MESSAGE_TYPES, type MessageType } from '../messages/catalog';
import type { Message } from '../messages/types';
import { manifestSchema, type Manifest } from '../manifest/manifest';
import { MAX_MSG_ID } from '../limits';
import type { Schema, SchemaNode } from '../schema';

// fast-check generators derived from the schemas, so every message type and the
// manifest get property tests without hand-written generators that could drift.

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');
/** Keeps generated values small: tests want variety, not size. */
const SMALL = 6;

/** Any safe integer in [min, max], bounds included more often than chance would. */
export function uintBetween(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(fc.constantFrom(min, max), fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number));
}

export function arbitraryOf(node: SchemaNode): fc.Arbitrary<unknown> {
  switch (node.kind) {
    case 'uint':
      return uintBetween(node.min, node.max);
    case 'text': {
      const base = node.pattern
        ? fc.stringMatching(node.pattern, { maxLength: node.maxBytes })
        : fc.string({ unit: 'binary', minLength: node.minBytes === 0 ? 0 : 1, maxLength: Math.min(node.maxBytes, 24) });
      return base.filter((s) => byteLength(s) >= node.minBytes && byteLength(s) <= node.maxBytes);
    }
    case 'bytes':
      return fc.uint8Array({ minLength: node.minBytes, maxLength: Math.min(node.maxBytes, Math.max(node.minBytes, 48)) });
    case 'bool':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...node.values);
    case 'array': {
      const constraints = { maxLength: Math.min(node.maxItems, SMALL) };
      if (node.order === 'any') return fc.array(arbitraryOf(node.item), constraints);
      const set = fc.uniqueArray(arbitraryOf(node.item) as fc.Arbitrary<string>, constraints);
      return node.order === 'sorted' ? set.map((items) => [...items].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) : set;
    }
    case 'textMap':
      return fc.dictionary(arbitraryOf(node.key) as fc.Arbitrary<string>, arbitraryOf(node.value), { maxKeys: Math.min(node.maxEntries, SMALL) });
    case 'record': {
      const fields = Object.entries(node.fields);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, field] of fields) model[name] = arbitraryOf(field.node);
      return fc.record(model, { requiredKeys: fields.filter(([, f]) => !f.optional).map(([name]) => name) });
    }
  }
}

/** Values the schema accepts (cross-field rules are applied by filtering). */
export function arbitraryFor<T>(schema: Schema<T>): fc.Arbitrary<T> {
  return arbitraryOf(schema.node)
    .filter((value) => {
      try {
        schema.parse(value, 'x', { code: 'invalid_message' });
        return true;
      } catch {
        return false;
      }
    })
    .map((value) => value as T);
}

export function messageArbitrary(type: MessageType): fc.Arbitrary<Message> {
  return fc.record({
    type: fc.constant(type),
    msgId: uintBetween(1, MAX_MSG_ID),
    correlationId: uintBetween(0, MAX_MSG_ID),
    body: arbitraryFor(MESSAGE_CATALOG[type].body as Schema<unknown>),
  }) as fc.Arbitrary<Message>;
}

export const anyMessage: fc.Arbitrary<Message> = fc.oneof(...MESSAGE_TYPES.map(messageArbitrary));

export const anyManifest: fc.Arbitrary<Manifest> = arbitraryFor(manifestSchema);
