import { InvalidModule } from './errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Sequential reader of the WebAssembly binary format over bytes[pos, end). */
export class WasmReader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    readonly end = bytes.length,
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) throw new InvalidModule(`unexpected end of module at byte ${this.pos}`);
    return this.bytes[this.pos++];
  }

  peek(): number {
    if (this.pos >= this.end) throw new InvalidModule(`unexpected end of module at byte ${this.pos}`);
    return this.bytes[this.pos];
  }

  /** Unsigned LEB128 of up to maxBytes bytes (5 for u32, 10 for u64; u64 loses precision past 2^53). */
  uleb(maxBytes = 5): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < maxBytes; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new InvalidModule(`LEB128 number longer than ${maxBytes} bytes at byte ${this.pos}`);
  }

  /** Skips a signed LEB128 (s32, s33 or s64); only immediates are skipped this way. */
  skipSleb(maxBytes: number): void {
    for (let i = 0; i < maxBytes; i++) if ((this.u8() & 0x80) === 0) return;
    throw new InvalidModule(`LEB128 number longer than ${maxBytes} bytes at byte ${this.pos}`);
  }

  take(length: number): Uint8Array {
    if (this.pos + length > this.end) throw new InvalidModule(`unexpected end of module at byte ${this.pos}`);
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  name(): string {
    try {
      return utf8.decode(this.take(this.uleb()));
    } catch (err) {
      if (err instanceof InvalidModule) throw err;
      throw new InvalidModule(`name is not UTF-8 at byte ${this.pos}`);
    }
  }

  /** A reader over the next length bytes; this reader moves past them. */
  sub(length: number): WasmReader {
    const start = this.pos;
    this.take(length);
    return new WasmReader(this.bytes, start, start + length);
  }
}

export interface SectionSpan {
  readonly id: number;
  /** Offset of the section id byte. */
  readonly start: number;
  readonly payload: WasmReader;
  /** Offset just past the section. */
  readonly end: number;
}

/** The top-level sections of a module, after checking magic and version. */
export function readSections(bytes: Uint8Array): SectionSpan[] {
  const r = new WasmReader(bytes);
  const header = r.take(8);
  const expected = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (expected.some((b, i) => header[i] !== b)) throw new InvalidModule('not a WebAssembly binary of format version 1');
  const sections: SectionSpan[] = [];
  while (!r.atEnd) {
    const start = r.pos;
    const id = r.u8();
    const payload = r.sub(r.uleb());
    sections.push({ id, start, payload, end: r.pos });
  }
  return sections;
}

/** The WebAssembly JS API takes ArrayBuffer-backed views only (not SharedArrayBuffer): copy otherwise. */
export function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/** Unsigned LEB128 encoding of a u32. */
export function encodeUleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    const b = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? b : b | 0x80);
  } while (v !== 0);
  return out;
}
