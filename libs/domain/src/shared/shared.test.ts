import { canonicalJson, sameValue, sortedUnique } from './canonical';
import { InvalidCommand } from './errors';
import { matchesSelector, requireLabels } from './labels';
import { addSeconds, isBefore, requireIsoTime } from './time';
import { NAME_PATTERN, requireInteger, requirePercent } from './validation';

describe('canonical values', () => {
  it('serializes objects with sorted keys at every depth, keeping array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(sameValue({ x: 1, y: 2 }, { y: 2, x: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
  });

  it('sorts by code unit, whatever the locale', () => {
    expect(sortedUnique(['b', 'B', 'a', 'b', '_'])).toEqual(['B', '_', 'a', 'b']);
  });
});

describe('labels', () => {
  it('matches an equality selector', () => {
    const labels = { env: 'prod', zone: 'b' };
    expect(matchesSelector(labels, { env: 'prod' })).toBe(true);
    expect(matchesSelector(labels, { env: 'prod', zone: 'a' })).toBe(false);
    expect(matchesSelector(labels, { rack: '' })).toBe(false);
    expect(matchesSelector(labels, {})).toBe(true);
  });

  it('accepts prefixed keys and empty values', () => {
    expect(requireLabels('labels', { 'wasmbed.io/role': '', a: 'x.y_z-1' })).toEqual({ a: 'x.y_z-1', 'wasmbed.io/role': '' });
  });

  it('rejects a non-string value', () => {
    expect(() => requireLabels('labels', { a: 1 })).toThrow(InvalidCommand);
  });
});

describe('time', () => {
  it('accepts ISO-8601 with Z or an offset, and compares instants across zones', () => {
    expect(requireIsoTime('t', '2024-05-01T12:00:00+02:00')).toBe('2024-05-01T12:00:00+02:00');
    expect(isBefore('2024-05-01T09:59:59Z', '2024-05-01T12:00:00+02:00')).toBe(true);
    expect(isBefore('2024-05-01T10:00:00Z', '2024-05-01T12:00:00+02:00')).toBe(false);
  });

  it('adds seconds without a clock', () => {
    expect(addSeconds('2024-05-01T23:59:30Z', 45)).toBe('2024-05-02T00:00:15.000Z');
  });

  it.each(['2024-05-01', '2024-05-01T10:00:00', 'soon', 1714557600000])('rejects %j', (value) => {
    expect(() => requireIsoTime('t', value)).toThrow(InvalidCommand);
  });
});

describe('validation', () => {
  it.each(['a', 'd1', 'edge-gateway-01', 'x'.repeat(63)])('accepts the name %s', (name) => {
    expect(NAME_PATTERN.test(name)).toBe(true);
  });

  it.each(['', 'A', '-a', 'a-', 'a_b', 'a.b', 'x'.repeat(64)])('rejects the name %j', (name) => {
    expect(NAME_PATTERN.test(name)).toBe(false);
  });

  it('says the range of a bounded integer', () => {
    expect(() => requireInteger('n', 11, 1, 10)).toThrow('invalid n: must be an integer between 1 and 10');
    expect(() => requireInteger('n', 0, 1)).toThrow('invalid n: must be an integer >= 1');
  });

  it('accepts zero percent only where allowed', () => {
    expect(requirePercent('p', 0, true)).toBe(0);
    expect(() => requirePercent('p', 0, false)).toThrow('must be a number above 0 and at most 100');
  });
});
