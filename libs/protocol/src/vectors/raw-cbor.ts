import { encodeCbor } from '../cbor/encode';
import type { CborValue } from '../cbor/values';

// Hand-built CBOR for the invalid vectors: the protocol's encoder only ever writes
// the deterministic form, so the forms a strict decoder must refuse are built here.

/** A head with the argument in exactly `size` bytes (0 = in the initial byte). */
export function head(major: number, argument: number, size: 0 | 1 | 2 | 4 | 8 = 0): Uint8Array {
  const info = size === 0 ? argument : { 1: 24, 2: 25, 4: 26, 8: 27 }[size];
  const out = new Uint8Array(1 + size);
  out[0] = (major << 5) | info;
  const view = new DataView(out.buffer);
  if (size === 1) view.setUint8(1, argument);
  if (size === 2) view.setUint16(1, argument);
  if (size === 4) view.setUint32(1, argument);
  if (size === 8) view.setBigUint64(1, BigInt(argument));
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export function canonical(value: CborValue): Uint8Array {
  return encodeCbor(value);
}

/** A definite-length map whose entries (already encoded) stay in the given order. */
export function mapInOrder(entries: readonly (readonly [Uint8Array, Uint8Array])[]): Uint8Array {
  return concat(head(5, entries.length), ...entries.flatMap(([k, v]) => [k, v]));
}

/** An indefinite-length map (0xbf … 0xff). */
export function indefiniteMap(entries: readonly (readonly [Uint8Array, Uint8Array])[]): Uint8Array {
  return concat(Uint8Array.of(0xbf), ...entries.flatMap(([k, v]) => [k, v]), Uint8Array.of(0xff));
}

/**
 * A map's entries, each key and value encoded canonically, in canonical key order;
 * `changes` replaces values with ready-made encodings (undefined drops the key).
 */
export function entries(map: object, changes: Readonly<Record<string, Uint8Array | undefined>> = {}): [Uint8Array, Uint8Array][] {
  const merged = new Map<string, Uint8Array>();
  for (const [k, v] of Object.entries(map)) if (v !== undefined) merged.set(k, canonical(v as CborValue));
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) merged.delete(k);
    else merged.set(k, v);
  }
  return [...merged].map(([k, v]) => [canonical(k), v] as [Uint8Array, Uint8Array]).sort(([a], [b]) => Buffer.compare(a, b));
}
