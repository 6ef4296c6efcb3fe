import { ValidationError } from '@wasmbed/errors';
import { CborFloat, isCborMap, type CborValue } from './values';

/**
 * Deterministic CBOR (RFC 8949 §4.2.1): shortest heads, definite lengths, map keys
 * sorted by the bytewise order of their encodings. Map entries whose value is
 * `undefined` are left out (that is how optional fields are absent). Floats are not
 * encodable: nothing in the protocol is one, and their canonical form is contentious.
 */
export function encodeCbor(value: CborValue): Uint8Array {
  const out = new ByteWriter();
  writeValue(out, value, 0);
  return out.bytes();
}

const MAX_ENCODE_DEPTH = 64;

function writeValue(out: ByteWriter, value: CborValue, depth: number): void {
  if (depth > MAX_ENCODE_DEPTH) throw new ValidationError('value nests too deep to encode');
  if (typeof value === 'number') return writeInteger(out, value);
  if (typeof value === 'bigint') return writeBigInteger(out, value);
  if (typeof value === 'string') return writeText(out, value);
  if (typeof value === 'boolean') return out.byte(value ? 0xf5 : 0xf4);
  if (value === null) return out.byte(0xf6);
  if (value instanceof Uint8Array) return writeBytes(out, 2, value);
  if (value instanceof CborFloat) throw new ValidationError('floats are not encodable');
  if (Array.isArray(value)) {
    writeHead(out, 4, value.length);
    for (const item of value as readonly CborValue[]) writeValue(out, item, depth + 1);
    return;
  }
  if (isCborMap(value)) return writeMap(out, value, depth);
  throw new ValidationError(`cannot encode a value of type ${typeof value}`);
}

function writeMap(out: ByteWriter, map: Readonly<Record<string, CborValue | undefined>>, depth: number): void {
  const entries: { key: Uint8Array; value: CborValue }[] = [];
  for (const [name, value] of Object.entries(map)) {
    if (value !== undefined) entries.push({ key: encodedKey(name), value });
  }
  entries.sort((a, b) => Buffer.compare(a.key, b.key));
  writeHead(out, 5, entries.length);
  for (const entry of entries) {
    out.append(entry.key);
    writeValue(out, entry.value, depth + 1);
  }
}

/** Bodies reuse a few dozen keys, so their encodings are kept; bounded, as env names are arbitrary. */
const keyCache = new Map<string, Uint8Array>();
const KEY_CACHE_LIMIT = 512;

function encodedKey(name: string): Uint8Array {
  let key = keyCache.get(name);
  if (key === undefined) {
    const writer = new ByteWriter(Buffer.byteLength(name) + 9);
    writeText(writer, name);
    key = writer.bytes();
    if (keyCache.size < KEY_CACHE_LIMIT) keyCache.set(name, key);
  }
  return key;
}

function writeText(out: ByteWriter, text: string): void {
  const length = Buffer.byteLength(text, 'utf8');
  writeHead(out, 3, length);
  out.utf8(text, length);
}

function writeInteger(out: ByteWriter, value: number): void {
  if (!Number.isSafeInteger(value)) throw new ValidationError(`only safe integers are encodable, got ${value}`);
  if (value >= 0) writeHead(out, 0, value);
  else writeHead(out, 1, -1 - value);
}

function writeBigInteger(out: ByteWriter, value: bigint): void {
  const major = value >= 0n ? 0 : 1;
  const argument = value >= 0n ? value : -1n - value;
  if (argument > 0xffff_ffff_ffff_ffffn) throw new ValidationError('integer does not fit in 64 bits');
  if (argument <= BigInt(Number.MAX_SAFE_INTEGER)) return writeHead(out, major, Number(argument));
  out.byte((major << 5) | 27);
  out.uint(Number(argument >> 32n), 4);
  out.uint(Number(argument & 0xffff_ffffn), 4);
}

function writeBytes(out: ByteWriter, major: 2 | 3, bytes: Uint8Array): void {
  writeHead(out, major, bytes.length);
  out.append(bytes);
}

/** The head of a data item in its shortest form. `argument` is a non-negative safe integer. */
function writeHead(out: ByteWriter, major: number, argument: number): void {
  const type = major << 5;
  if (argument < 24) {
    out.byte(type | argument);
  } else if (argument <= 0xff) {
    out.byte(type | 24);
    out.uint(argument, 1);
  } else if (argument <= 0xffff) {
    out.byte(type | 25);
    out.uint(argument, 2);
  } else if (argument <= 0xffff_ffff) {
    out.byte(type | 26);
    out.uint(argument, 4);
  } else {
    out.byte(type | 27);
    out.uint(Math.floor(argument / 2 ** 32), 4);
    out.uint(argument % 2 ** 32, 4);
  }
}

/** Append-only byte buffer that doubles its capacity as needed. */
class ByteWriter {
  private buf: Buffer;
  private len = 0;

  constructor(capacity = 256) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  byte(value: number): void {
    this.reserve(1);
    this.buf[this.len++] = value;
  }

  /** Big-endian unsigned integer of `size` bytes (value < 2^32). */
  uint(value: number, size: 1 | 2 | 4): void {
    this.reserve(size);
    for (let shift = (size - 1) * 8; shift >= 0; shift -= 8) this.buf[this.len++] = (value >>> shift) & 0xff;
  }

  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** `text` as UTF-8, known to take `length` bytes. */
  utf8(text: string, length: number): void {
    this.reserve(length);
    this.buf.write(text, this.len, length, 'utf8');
    this.len += length;
  }

  /** A copy of what was written, as a plain Uint8Array. */
  bytes(): Uint8Array {
    return new Uint8Array(this.buf.subarray(0, this.len));
  }

  private reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }
}
