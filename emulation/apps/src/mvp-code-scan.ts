import type { WasmReader } from './wasm-reader';

/** Feature names as wabt's --disable-/--enable- flags spell them; 'unknown' covers the rest (GC, typed function references...). */
export type PostMvpFeature =
  | 'bulk-memory'
  | 'exceptions'
  | 'extended-const'
  | 'memory64'
  | 'multi-memory'
  | 'multi-value'
  | 'mutable-globals'
  | 'reference-types'
  | 'saturating-float-to-int'
  | 'sign-extension'
  | 'simd'
  | 'tail-call'
  | 'threads'
  | 'unknown';

export type FeatureSink = (feature: PostMvpFeature) => void;

export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | 'unknown';

const MVP_TYPES: Readonly<Record<number, ValueType>> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64' };

export function valueType(byte: number, use: FeatureSink): ValueType {
  const mvp = MVP_TYPES[byte];
  if (mvp !== undefined) return mvp;
  if (byte === 0x7b) {
    use('simd');
    return 'v128';
  }
  if (byte === 0x70 || byte === 0x6f) {
    use('reference-types');
    return byte === 0x70 ? 'funcref' : 'externref';
  }
  use('unknown');
  return 'unknown';
}

/** Skips the immediate of a numeric constant (i32/i64/f32/f64.const); false when op is not one. */
export function skipConstImmediate(op: number, r: WasmReader): boolean {
  if (op === 0x41) r.skipSleb(5);
  else if (op === 0x42) r.skipSleb(10);
  else if (op === 0x43) r.take(4);
  else if (op === 0x44) r.take(8);
  else return false;
  return true;
}

/** Opcodes in 0x00..0xff that are not MVP, by the proposal that added them. */
function singleByteFeature(op: number): PostMvpFeature {
  if ((op >= 0x06 && op <= 0x0a) || op === 0x18 || op === 0x19) return 'exceptions';
  if (op === 0x12 || op === 0x13) return 'tail-call';
  if (op === 0x1c || op === 0x25 || op === 0x26 || (op >= 0xd0 && op <= 0xd2)) return 'reference-types';
  if (op >= 0xc0 && op <= 0xc4) return 'sign-extension';
  if (op === 0xfd) return 'simd';
  if (op === 0xfe) return 'threads';
  return 'unknown';
}

/** 0xfc-prefixed instructions: 0..7 saturating truncation, 8..14 bulk memory, 15..17 reference types. */
function prefixedFeature(sub: number): PostMvpFeature {
  if (sub <= 7) return 'saturating-float-to-int';
  if (sub <= 14) return 'bulk-memory';
  if (sub <= 17) return 'reference-types';
  return 'unknown';
}

/**
 * Walks one code-section body (locals, then instructions) and reports every
 * post-MVP feature it sees. Stops at the first non-MVP instruction, whose
 * immediates it cannot know; the caller moves on to the next body by size.
 */
export function scanFunctionBody(r: WasmReader, use: FeatureSink): void {
  const localGroups = r.uleb();
  for (let i = 0; i < localGroups; i++) {
    r.uleb();
    valueType(r.u8(), use);
  }
  while (!r.atEnd) {
    const op = r.u8();
    if ((op >= 0x45 && op <= 0xbf) || skipConstImmediate(op, r)) continue; // numeric instructions
    switch (op) {
      case 0x00: // unreachable
      case 0x01: // nop
      case 0x05: // else
      case 0x0b: // end
      case 0x0f: // return
      case 0x1a: // drop
      case 0x1b: // select
        break;
      case 0x02: // block
      case 0x03: // loop
      case 0x04: // if
        if (!blockType(r, use)) return;
        break;
      case 0x0c: // br
      case 0x0d: // br_if
      case 0x10: // call
      case 0x20: // local.get
      case 0x21: // local.set
      case 0x22: // local.tee
      case 0x23: // global.get
      case 0x24: // global.set
        r.uleb();
        break;
      case 0x0e: {
        // br_table: label vector, then the default label
        const labels = r.uleb();
        for (let i = 0; i <= labels; i++) r.uleb();
        break;
      }
      case 0x11: // call_indirect: type index, table 0
        r.uleb();
        if (r.uleb() !== 0) use('reference-types');
        break;
      case 0x3f: // memory.size
      case 0x40: // memory.grow
        if (r.uleb() !== 0) use('multi-memory');
        break;
      case 0xfc:
        use(prefixedFeature(r.uleb()));
        return;
      default:
        if (op >= 0x28 && op <= 0x3e) {
          // loads and stores: alignment (bit 6 set = explicit memory index), offset
          if (r.uleb() & 0x40) use('multi-memory');
          r.uleb();
          break;
        }
        use(singleByteFeature(op));
        return;
    }
  }
}

/** Block type: empty or one value type in MVP; a type index means multi-value. */
function blockType(r: WasmReader, use: FeatureSink): boolean {
  const b = r.peek();
  if (b === 0x40 || MVP_TYPES[b] !== undefined) {
    r.u8();
    return true;
  }
  if (b === 0x7b || b === 0x70 || b === 0x6f) {
    valueType(r.u8(), use);
    return true;
  }
  if ((b & 0xc0) === 0x40) {
    // Another one-byte negative s33: a GC reference type we cannot follow.
    use('unknown');
    return false;
  }
  r.skipSleb(5);
  use('multi-value');
  return true;
}
