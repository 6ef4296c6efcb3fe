import fc from 'fast-check';
import { MAX_NESTING_DEPTH } from '../limits';
import { protocolErrorOf } from '../test-support/thrown';
import { decodeCbor } from './decode';
import { encodeCbor } from './encode';
import { CborFloat, type CborValue } from './values';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

function rejects(h: string, pattern: RegExp, deterministic = false): void {
  const err = protocolErrorOf(() => decodeCbor(fromHex(h), { deterministic }));
  expect(err.protocolCode).toBe('invalid_cbor');
  expect(err.message).toMatch(pattern);
}

/** Plain JSON-like values: what the protocol's data model holds (no floats). */
const plainValue: fc.Arbitrary<CborValue> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.maxSafeInteger(),
    fc.string({ unit: 'binary' }),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value as fc.Arbitrary<CborValue>;

describe('encodeCbor (deterministic)', () => {
  it.each([
    [0, '00'],
    [23, '17'],
    [24, '1818'],
    [255, '18ff'],
    [256, '190100'],
    [65_535, '19ffff'],
    [65_536, '1a00010000'],
    [4_294_967_295, '1affffffff'],
    [4_294_967_296, '1b0000000100000000'],
    [Number.MAX_SAFE_INTEGER, '1b001fffffffffffff'],
    [-1, '20'],
    [-24, '37'],
    [-25, '3818'],
    [-1000, '3903e7'],
  ])('writes %p in its shortest form %s (RFC 8949 Appendix A)', (value, expected) => {
    expect(hex(encodeCbor(value))).toBe(expected);
  });

  it('writes text, bytes, simple values and arrays with definite lengths', () => {
    expect(hex(encodeCbor(''))).toBe('60');
    expect(hex(encodeCbor('IETF'))).toBe('6449455446');
    expect(hex(encodeCbor('ü'))).toBe('62c3bc');
    expect(hex(encodeCbor(fromHex('01020304')))).toBe('4401020304');
    expect(hex(encodeCbor([1, [2, 3], [4, 5]]))).toBe('8301820203820405');
    expect(hex(encodeCbor([true, false, null]))).toBe('83f5f4f6');
    expect(hex(encodeCbor('a'.repeat(24)))).toBe(`7818${'61'.repeat(24)}`);
  });

  it('sorts map keys by their encoded bytes: shorter keys first, then bytewise', () => {
    const encoded = encodeCbor({ bb: 1, a: 2, aa: 3, b: 4, 'é': 5 });
    // 'a','b' (1 byte), then 'aa','bb','é' (2 bytes; 0x61 0x61 < 0x62 0x62 < 0xc3 0xa9)
    expect(hex(encoded)).toBe('a5616102616204626161036262620162c3a905');
  });

  it('leaves out entries whose value is undefined', () => {
    expect(hex(encodeCbor({ a: 1, b: undefined } as CborValue))).toBe('a1616101');
  });

  it('encodes big integers, refuses floats, unsafe numbers and foreign objects', () => {
    expect(hex(encodeCbor(2n ** 64n - 1n))).toBe('1bffffffffffffffff');
    expect(hex(encodeCbor(-(2n ** 64n)))).toBe('3bffffffffffffffff');
    expect(() => encodeCbor(2n ** 64n)).toThrow(/64 bits/);
    expect(() => encodeCbor(1.5)).toThrow(/safe integers/);
    expect(() => encodeCbor(new CborFloat(1))).toThrow(/floats/);
    expect(() => encodeCbor(new Date() as unknown as CborValue)).toThrow(/cannot encode/);
  });

  it('is read back identically by an independent implementation (cbor-x)', async () => {
    // cbor-x publishes ESM typings only; a dynamic import keeps this CommonJS file type-correct.
    const { decode: cborxDecode } = await import('cbor-x');
    fc.assert(
      fc.property(plainValue, (value) => {
        const decoded = cborxDecode(Buffer.from(encodeCbor(value))) as unknown;
        expect(normalize(decoded)).toEqual(normalize(value));
      }),
      { numRuns: 300 },
    );
  });
});

/** cbor-x returns Buffers, plain objects and bigint for 64-bit heads; compare by content only. */
function normalize(value: unknown): unknown {
  if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  if (value instanceof Uint8Array) return { bytes: hex(value) };
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

describe('decodeCbor', () => {
  it('round-trips every encodable value, in both modes', () => {
    fc.assert(
      fc.property(plainValue, (value) => {
        const bytes = encodeCbor(value);
        expect(normalize(decodeCbor(bytes))).toEqual(normalize(value));
        expect(normalize(decodeCbor(bytes, { deterministic: true }))).toEqual(normalize(value));
      }),
      { numRuns: 500 },
    );
  });

  it('reads integers beyond 2^53 as bigint, and floats as CborFloat', () => {
    expect(decodeCbor(fromHex('1b0020000000000000'))).toBe(2n ** 53n);
    expect(decodeCbor(fromHex('3b001fffffffffffff'))).toBe(-(2n ** 53n));
    expect(decodeCbor(fromHex('3b001ffffffffffffe'))).toBe(-Number.MAX_SAFE_INTEGER);
    expect(decodeCbor(fromHex('f93c00'))).toEqual(new CborFloat(1));
    expect(decodeCbor(fromHex('f97c00'))).toEqual(new CborFloat(Infinity));
    expect(decodeCbor(fromHex('f90001'))).toEqual(new CborFloat(5.960464477539063e-8));
    expect(decodeCbor(fromHex('f9c400'))).toEqual(new CborFloat(-4));
    expect(decodeCbor(fromHex('fa47c35000'))).toEqual(new CborFloat(100000));
    expect(decodeCbor(fromHex('fb3ff199999999999a'))).toEqual(new CborFloat(1.1));
  });

  it('decodes maps to plain objects in which "__proto__" is an ordinary key', () => {
    const map = decodeCbor(fromHex('a1695f5f70726f746f5f5fa1616101')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(Object.keys(map)).toEqual(['__proto__']);
    expect((map as { a?: unknown }).a).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(map, '__proto__')?.value).toEqual({ a: 1 });
  });

  it.each([
    ['a Uint8Array', fromHex('420102')],
    ['a Buffer', Buffer.from('420102', 'hex')],
  ])('copies byte strings out of %s into plain Uint8Arrays', (_what, input) => {
    const bytes = decodeCbor(input) as Uint8Array;
    input[1] = 9;
    expect(hex(bytes)).toBe('0102');
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
  });

  it.each([
    ['', /truncated/],
    ['0102', /1 bytes after/],
    ['1a0000', /truncated/],
    ['9f01ff', /indefinite/],
    ['5f4101ff', /indefinite/],
    ['bf616101ff', /indefinite/],
    ['ff', /unexpected break/],
    ['c11a00000001', /tags are not allowed/],
    ['f7', /simple value 23/],
    ['f0', /simple value 16/],
    ['f820', /1-byte argument/],
    ['1c', /reserved/],
    ['a2616101616102', /duplicate map key "a"/],
    ['a10102', /keys must be text/],
    ['62c328', /UTF-8/],
    ['5a00010000', /exceeds the 0 bytes left/],
    ['9a0000ffff', /exceeds the 0 bytes left/],
    ['ba7fffffff', /exceeds the 0 bytes left/],
    ['5bffffffffffffffff', /exceeds/],
  ])('rejects %s', (h, pattern) => rejects(h, pattern));

  it('limits nesting depth', () => {
    const nested = (depth: number) => `${'81'.repeat(depth)}00`;
    expect(() => decodeCbor(fromHex(nested(MAX_NESTING_DEPTH)))).not.toThrow();
    rejects(nested(MAX_NESTING_DEPTH + 1), /nesting deeper than 16/);
  });

  it('checks a declared length against the bytes left before allocating', () => {
    // An array claiming 2^32 − 1 items in a 5-byte input would otherwise reserve gigabytes.
    rejects('9bffffffffffffffff', /exceeds the 0 bytes left/);
  });

  describe('deterministic mode', () => {
    it.each([
      ['1817', /not in its shortest form/],
      ['190017', /not in its shortest form/],
      ['1a0000ffff', /not in its shortest form/],
      ['1b00000000ffffffff', /not in its shortest form/],
      ['7801' + '61', /not in its shortest form/],
      ['b80100', /not in its shortest form/],
      ['a2616201616101', /out of order/],
      ['a2626161016162', /out of order/],
      ['a2616101616101', /duplicate|out of order/],
      ['f93c00', /floats/],
    ])('rejects %s', (h, pattern) => rejects(h, pattern, true));

    it('accepts the same inputs in message mode', () => {
      expect(decodeCbor(fromHex('1817'))).toBe(23);
      expect(decodeCbor(fromHex('a2616201616102'))).toEqual({ b: 1, a: 2 });
    });
  });
});
