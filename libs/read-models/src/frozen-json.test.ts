import fc from 'fast-check';
import { ValidationError } from '@wasmbed/errors';
import { frozenJson } from './frozen-json';

// Values JSON changes or drops (Dates, boxed values, Maps, holes, typed arrays,
// null prototypes, undefined, -0, NaN) as well as plain JSON; no BigInt (JSON throws).
const anything = fc.anything({
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withTypedArray: true,
});

function roundTrip(value: unknown): unknown {
  const json = JSON.stringify(value);
  return json === undefined ? undefined : JSON.parse(json);
}

function expectDeepFrozen(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  expect(Object.isFrozen(value)).toBe(true);
  for (const member of Object.values(value)) expectDeepFrozen(member);
}

describe('frozenJson', () => {
  it('gives what a JSON round trip gives, deep-frozen', () => {
    fc.assert(
      fc.property(anything, (value) => {
        const result = frozenJson(value);
        expect(result).toStrictEqual(roundTrip(value));
        expectDeepFrozen(result);
      }),
    );
  });

  it('keeps plain JSON as it is (frozen in place), and copies only what JSON would change', () => {
    const plain = { a: [1, 'x', null, { b: true }] };
    expect(frozenJson(plain)).toBe(plain);
    expect(Object.isFrozen(plain.a[3])).toBe(true);

    const shared = { big: ['d1', 'd2'] };
    const mixed = { shared, when: new Date('2024-01-02T03:04:05.000Z'), gone: undefined, n: -0 };
    const result = frozenJson(mixed) as Record<string, unknown>;
    expect(result).not.toBe(mixed);
    expect(result).toStrictEqual({ shared: { big: ['d1', 'd2'] }, when: '2024-01-02T03:04:05.000Z', n: 0 });
    expect(result.shared).toBe(shared);
  });

  it('does not walk again what an earlier call returned: a new version shares the old parts', () => {
    const first = frozenJson({ devices: { d1: { status: 'Running' } }, count: 1 }) as { devices: object; count: number };
    // A getter on a part already checked would be noticed if it were walked again.
    let reads = 0;
    const next = { ...first, count: 2, extra: { get probe() { reads += 1; return 1; } } };
    const result = frozenJson(next) as typeof next;
    expect(result.devices).toBe(first.devices);
    expect(reads).toBe(1);
    frozenJson({ again: result });
    expect(reads).toBe(1);
  });

  it('member names JSON keeps as members stay members', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}, "toString": 2}') as unknown;
    expect(frozenJson(value)).toStrictEqual(roundTrip(value));
    const withDate = JSON.parse('{"__proto__": 1}') as Record<string, unknown>;
    withDate.when = new Date(0);
    expect(Object.hasOwn(frozenJson(withDate) as object, '__proto__')).toBe(true);
  });

  it('has no value for what JSON has none for, and refuses what JSON cannot write', () => {
    expect(frozenJson(undefined)).toBeUndefined();
    expect(frozenJson(() => 1)).toBeUndefined();
    expect(() => frozenJson({ n: 10n })).toThrow(ValidationError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = { cyclic };
    expect(() => frozenJson(cyclic)).toThrow(ValidationError);
  });
});
