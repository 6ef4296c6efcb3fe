import { isUtf8 } from 'node:buffer';
import { ProtocolError, type ProtocolErrorCode } from '../errors';
import { MAX_NESTING_DEPTH } from '../limits';
import { CborFloat, type CborMap, type CborValue } from './values';

export interface DecodeCborOptions {
  /** Also require RFC 8949 §4.2.1 deterministic encoding (used for manifests). */
  readonly deterministic?: boolean;
  /** Code of the errors raised; manifests report `invalid_manifest`. */
  readonly errorCode?: ProtocolErrorCode;
}


/**
 * Strict decoder for exactly one CBOR data item filling `bytes`. Beyond
 * well-formedness it rejects what the protocol forbids everywhere: indefinite
 * lengths, tags, simple values other than false/true/null, non-text map keys,
 * duplicate keys, invalid UTF-8, nesting deeper than MAX_NESTING_DEPTH. Declared
 * lengths are checked against the bytes left before anything is allocated.
 * With `deterministic`, also non-shortest heads, unsorted map keys and floats.
 */
export function decodeCbor(bytes: Uint8Array, options: DecodeCborOptions = {}): CborValue {
  const reader = new Reader(bytes, options.deterministic ?? false, options.errorCode ?? 'invalid_cbor');
  const value = reader.item(0);
  if (reader.pos !== bytes.length) reader.fail(`${bytes.length - reader.pos} bytes after the data item`);
  return value;
}

class Reader {
  pos = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly deterministic: boolean,
    private readonly errorCode: ProtocolErrorCode,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(message: string): never {
    throw new ProtocolError(this.errorCode, `${message} (at byte ${this.pos})`);
  }

  item(depth: number): CborValue {
    const start = this.pos;
    const initial = this.uint8();
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) return this.simpleOrFloat(info, start);
    if (info === 31) this.failAt(start, 'indefinite lengths are not allowed');
    if (major === 6) this.failAt(start, 'tags are not allowed');
    const argument = this.argument(info, start);
    switch (major) {
      case 0:
        return argument;
      case 1:
        // -1 − n leaves the safe range one step before n does.
        return typeof argument === 'bigint' || argument >= Number.MAX_SAFE_INTEGER ? -1n - BigInt(argument) : -1 - argument;
      case 2:
        // A copy, and a plain Uint8Array even when the input is a Buffer (whose slice() is a view).
        return new Uint8Array(this.take(argument, start));
      case 3:
        return this.text(argument, start);
      case 4:
        return this.array(argument, depth + 1, start);
      default:
        return this.map(argument, depth + 1, start);
    }
  }

  private array(count: number | bigint, depth: number, start: number): CborValue[] {
    this.checkDepth(depth, start);
    // Every item takes at least one byte: a larger count cannot be honest.
    if (count > this.remaining()) this.failAt(start, `array of ${count} items exceeds the ${this.remaining()} bytes left`);
    const items: CborValue[] = [];
    for (let i = 0; i < Number(count); i++) items.push(this.item(depth));
    return items;
  }

  private map(count: number | bigint, depth: number, start: number): CborMap {
    this.checkDepth(depth, start);
    if (count > this.remaining() / 2) this.failAt(start, `map of ${count} entries exceeds the ${this.remaining()} bytes left`);
    const map: Record<string, CborValue> = {};
    let previousKey: Uint8Array | null = null;
    for (let i = 0; i < Number(count); i++) {
      const keyStart = this.pos;
      const key = this.item(depth);
      if (typeof key !== 'string') this.failAt(keyStart, 'map keys must be text strings');
      if (Object.prototype.hasOwnProperty.call(map, key)) this.failAt(keyStart, `duplicate map key "${key}"`);
      if (this.deterministic) {
        const encodedKey = this.bytes.subarray(keyStart, this.pos);
        if (previousKey !== null && Buffer.compare(previousKey, encodedKey) >= 0) {
          this.failAt(keyStart, `map key "${key}" is out of order`);
        }
        previousKey = encodedKey;
      }
      const value = this.item(depth);
      // "__proto__" must become an own data property, never the object's prototype.
      if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
      else map[key] = value;
    }
    return map;
  }

  private simpleOrFloat(info: number, start: number): CborValue {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 25:
      case 26:
      case 27: {
        if (this.deterministic) this.failAt(start, 'floats are not allowed');
        const size = info === 25 ? 2 : info === 26 ? 4 : 8;
        const at = this.advance(size, start);
        if (size === 2) return new CborFloat(halfToNumber(this.view.getUint16(at)));
        return new CborFloat(size === 4 ? this.view.getFloat32(at) : this.view.getFloat64(at));
      }
      case 31:
        return this.failAt(start, 'unexpected break (indefinite lengths are not allowed)');
      default:
        return this.failAt(start, `simple value ${info === 24 ? 'with 1-byte argument' : info} is not allowed`);
    }
  }

  /** The head's argument; values beyond 2^53 − 1 come back as bigint. */
  private argument(info: number, start: number): number | bigint {
    if (info < 24) return info;
    let value: number | bigint;
    let min: number;
    if (info === 24) {
      value = this.view.getUint8(this.advance(1, start));
      min = 24;
    } else if (info === 25) {
      value = this.view.getUint16(this.advance(2, start));
      min = 0x100;
    } else if (info === 26) {
      value = this.view.getUint32(this.advance(4, start));
      min = 0x1_0000;
    } else if (info === 27) {
      const at = this.advance(8, start);
      const big = this.view.getBigUint64(at);
      value = big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      min = 0x1_0000_0000;
    } else {
      return this.failAt(start, `reserved additional information ${info}`);
    }
    if (this.deterministic && value < min) this.failAt(start, `integer or length ${value} is not in its shortest form`);
    return value;
  }

  private text(length: number | bigint, start: number): string {
    const raw = this.take(length, start);
    // Keys and ids are short ASCII: building those directly beats a native call.
    if (raw.length <= 32 && isAscii(raw)) return String.fromCharCode.apply(null, raw as unknown as number[]);
    if (!isUtf8(raw)) this.failAt(start, 'text string is not valid UTF-8');
    return Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('utf8');
  }

  private take(length: number | bigint, start: number): Uint8Array {
    if (length > this.remaining()) this.failAt(start, `string of ${length} bytes exceeds the ${this.remaining()} bytes left`);
    const at = this.advance(Number(length), start);
    return this.bytes.subarray(at, at + Number(length));
  }

  private uint8(): number {
    return this.view.getUint8(this.advance(1, this.pos));
  }

  /** Moves past `size` bytes and returns where they start. */
  private advance(size: number, start: number): number {
    if (size > this.remaining()) this.failAt(start, 'data item is truncated');
    const at = this.pos;
    this.pos += size;
    return at;
  }

  private remaining(): number {
    return this.bytes.length - this.pos;
  }

  private checkDepth(depth: number, start: number): void {
    if (depth > MAX_NESTING_DEPTH) this.failAt(start, `nesting deeper than ${MAX_NESTING_DEPTH}`);
  }

  private failAt(start: number, message: string): never {
    this.pos = start;
    return this.fail(message);
  }
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return false;
  return true;
}

/** IEEE 754 binary16 to a JS number (RFC 8949 Appendix D). */
function halfToNumber(half: number): number {
  const exponent = (half >> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  const magnitude =
    exponent === 0 ? mantissa * 2 ** -24 : exponent === 31 ? (mantissa === 0 ? Infinity : NaN) : (mantissa + 1024) * 2 ** (exponent - 25);
  return half & 0x8000 ? -magnitude : magnitude;
}
